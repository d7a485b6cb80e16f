"""The load: pass 1 validates every input into a compact index, passes 2 and 3 hand chunks to the store,
all or nothing."""
