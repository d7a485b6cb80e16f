"""The schema is generated from the model; the bundled data is valid, sourced and quoted faithfully."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, run_cli
from ruralgraph.model import LABELS, NODE_MODELS, REL_TYPES, RESERVED_PROPERTIES, Source
from ruralgraph.money import AmountError, parse_amount
from ruralgraph.places import region_chain
from ruralgraph.resources import data_dir
from ruralgraph.schema import generated_files, stale_schema_files
from ruralgraph.store import StoreSettings, open_store

SEED = ROOT.parent / "shared" / "seeds" / "000_22fe776f89a1740e.txt"


def test_generated_schema_files_are_up_to_date() -> None:
    assert stale_schema_files() == [], "run `ruralgraph schema` and commit schema/"


def test_schema_check_command_reports_stale_files(tmp_path: Path, monkeypatch) -> None:
    assert run_cli("schema", "--check").exit_code == 0
    (tmp_path / "constraints.cypher").write_text("// old\n", encoding="utf-8")
    assert stale_schema_files(tmp_path) == list(generated_files())


def test_no_model_declares_a_property_the_engines_or_the_loader_reserve() -> None:
    for model in NODE_MODELS:
        for name, field in model.model_fields.items():
            spellings = {name, field.alias} | set(getattr(field.validation_alias, "choices", []) or [])
            declared = spellings - {None} - {"title"} if model is Source else spellings - {None}
            assert not declared & RESERVED_PROPERTIES, f"{model.__name__}.{name}"
    # Source's title is accepted in case files but stored as name
    assert "title" not in Source(title="x", id="s").properties()


def test_constraints_cover_every_label() -> None:
    text = (ROOT / "schema" / "constraints.cypher").read_text(encoding="utf-8")
    for label in LABELS:
        assert f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE" in text


def test_case_file_json_schema_accepts_every_bundled_case_file() -> None:
    schema = json.loads((ROOT / "schema" / "case-file.schema.json").read_text(encoding="utf-8"))
    for path in sorted((data_dir() / "cases").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_case_file_json_schema_rejects_an_unknown_relationship_type() -> None:
    schema = json.loads((ROOT / "schema" / "case-file.schema.json").read_text(encoding="utf-8"))
    bad = {"relationships": [{"from": "a", "type": "LIKES", "to": "b", "source": "s", "evidence": "甲乙"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    assert set(REL_TYPES) <= set(json.dumps(schema, ensure_ascii=False).split('"'))


@pytest.mark.skipif(not SEED.exists(), reason="the seed article (../shared/seeds) is not beside this checkout")
def test_every_evidence_span_of_the_article_is_quoted_verbatim() -> None:
    article = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    for path in sorted((data_dir() / "cases").glob("*.yaml")):
        for rel in yaml.safe_load(path.read_text(encoding="utf-8")).get("relationships", []):
            if rel["source"] == "gsb-social-org-cases":
                assert re.sub(r"\s+", "", rel["evidence"]) in article, f"{path.name}: {rel['evidence']}"


def test_every_region_has_an_adcode_and_a_chain_to_its_province(seed_db: Path) -> None:
    with open_store(StoreSettings(db=seed_db)) as store:
        regions = store.run("MATCH (r:Region) RETURN r.id AS id, r.adcode AS adcode, r.level AS level")
        chains = store.run(
            "MATCH (r:Region) OPTIONAL MATCH (r)-[:PART_OF*0..2]->(p:Region {level: 'province'}) "
            "RETURN r.id AS id, p.adcode AS province"
        )
    assert all(row["adcode"] for row in regions)
    assert all(row["province"] for row in chains), [row for row in chains if not row["province"]]
    assert [r.name for r in region_chain("141031")] == ["隰县", "临汾市", "山西省"]


def test_the_seed_places_have_their_official_codes(seed_db: Path) -> None:
    with open_store(StoreSettings(db=seed_db)) as store:
        rows = store.run(
            "MATCH (r:Region) WHERE r.adcode IN ['141031', '520622', '220283'] "
            "RETURN r.adcode AS adcode, r.name AS name ORDER BY adcode"
        )
    assert rows == [
        {"adcode": "141031", "name": "隰县"},
        {"adcode": "220283", "name": "舒兰市"},
        {"adcode": "520622", "name": "玉屏侗族自治县"},
    ]


def test_the_key_county_designation_says_it_is_partial(seed_db: Path) -> None:
    with open_store(StoreSettings(db=seed_db)) as store:
        rows = store.run(
            "MATCH (d:Designation)-[:DESIGNATES]->(c:Region) RETURN d.listed_count AS listed, "
            "d.total_count AS total, d.complete AS complete, count(DISTINCT c) AS counties"
        )
    assert rows == [{"listed": 93, "total": 160, "complete": False, "counties": 93}]


@pytest.mark.parametrize(
    ("text", "cny", "qualifier"),
    [
        ("1.2亿元", 120000000, None),
        ("超1.2亿元", 120000000, "at_least"),
        ("3.5亿元", 350000000, None),
        ("500万元", 5000000, None),
        ("一千二百万元", 12000000, None),
        ("1亿2000万元", 120000000, None),
        ("2,000万元", 20000000, None),
        ("约500万元", 5000000, "about"),
        ("超过3亿元", 300000000, "at_least"),
        ("100多万元", 1000000, "at_least"),
        ("1.2亿余元", 120000000, "at_least"),
        ("万元", None, None),
    ],
)
def test_amounts_become_yuan_with_their_qualifier(text: str, cny: int | None, qualifier: str | None) -> None:
    amount = parse_amount(text)
    assert (amount.cny, amount.qualifier, amount.text) == (cny, qualifier, text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc万元", "not a single number"),
        ("1.2亿元和3亿元", "not a single number"),
        ("100万100万", "not a single number"),
        ("-500万元", "negative"),
        ("负500万元", "negative"),
        ("0元", "zero"),
        ("", "empty"),
    ],
)
def test_bad_amounts_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(text)


@pytest.mark.slow
def test_an_installed_wheel_finds_its_schema_queries_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("ruralgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ruralgraph/_bundled/queries/partners.cypher" in names
    assert "ruralgraph/_bundled/schema/constraints.cypher" in names
    assert "ruralgraph/_bundled/data/cases/02-huoshui.yaml" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # a mapping the researcher wrote to ./loaders/, as loaders/README.md says, is read by the installed package
    (tmp_path / "loaders").mkdir()
    (tmp_path / "loaders" / "fieldwork.yaml").write_text(
        'description: mine\nfiles: ["fieldwork*.csv"]\nnodes:\n  - section: organizations\n'
        '    fields: {id: "{name|slug}", name: "{name}", kind: foundation}\n',
        encoding="utf-8",
    )
    (tmp_path / "fieldwork.csv").write_text("name\n中国乡村发展基金会\n", encoding="utf-8")
    script = (
        "import ruralgraph.resources as r; from ruralgraph.loading.load import validate; "
        "assert '_bundled' in str(r.queries_dir()); print(validate([r.data_dir()]).nodes); "
        "print(validate(['fieldwork.csv']).nodes)"
    )
    done = subprocess.run(  # noqa: PLW1510 - the return code is asserted below, with the output
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    bundled, own = done.stdout.split()
    assert int(bundled) > 100 and int(own) == 1
