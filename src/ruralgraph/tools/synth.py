"""A deterministic synthetic dataset with the shape of the real one, in the bulk format.

The real region hierarchy (from the gazetteer); heavy-tailed participation (a few national
foundations in hundreds of programs, most organisations in one or two, drawn with Zipf weights);
programs with 2–10 participants in several roles; funds with co-founders and managers; amounts
in Chinese units; a source and an evidence span on every relationship. The same size and seed
always write the same file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from ruralgraph.model import Event, Fund, GovLevel, Node, Organization, OrgKind, Program, Relationship, Source
from ruralgraph.places import gazetteer
from ruralgraph.readers.jsonlines import dump_node, dump_relationship

SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}  # relationships, roughly
RELATIONSHIPS_PER_PROGRAM = 10  # measured on the generator's own output, for sizing

_PLACE_WORDS = ["乡村", "振兴", "共富", "兴农", "惠民", "助学", "健康", "产业", "生态", "文旅", "数字", "巾帼"]
_ORG_SUFFIX = {
    "foundation": "基金会",
    "social_organization": "促进会",
    "industry_association": "行业协会",
    "enterprise": "有限公司",
}
_PROGRAM_WORDS = ["春蕾", "希望", "活水", "同心", "乡村e站", "青禾", "护苗", "暖冬", "百县千村", "善品"]
_PROGRAM_KINDS = ["计划", "行动", "项目", "工程"]
_ROLES = {
    "LAUNCHED": ["发起", "联合发起"],
    "FUNDS": ["资助", "捐赠"],
    "IMPLEMENTS": ["执行", "落地实施"],
    "GUIDES": ["指导"],
    "SUPERVISES": ["监督"],
    "MANAGES_FUNDS": ["资金管理"],
    "CO_FOUNDED": ["联合设立"],
}


@dataclass
class SynthReport:
    """What a synthetic file holds."""

    path: Path
    nodes: int
    relationships: int


def amount_text(rng: random.Random) -> str:
    """An amount as Chinese sources write them."""
    form = rng.random()
    if form < 0.45:
        return f"{rng.randint(5, 5000)}万元"
    if form < 0.65:
        return f"{rng.randint(1, 30) / 10:.1f}亿元"
    if form < 0.8:
        return f"超{rng.randint(10, 3000)}万元"
    if form < 0.9:
        return f"约{rng.randint(10, 3000)}万元"
    return f"{rng.randint(1, 9)}千万元"


class Generator:
    """Builds the synthetic graph, item by item, from one random seed."""

    def __init__(self, relationships: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.programs = max(20, relationships // RELATIONSHIPS_PER_PROGRAM)
        self.funds = max(2, self.programs // 10)
        self.organizations = max(30, self.programs * 2)
        counties = sorted((r for r in gazetteer().values() if r.level == "county"), key=lambda r: r.adcode)
        self.counties = counties
        # Zipf weights: organisation k takes part about 1/k^1.1 as often as organisation 1.
        weights = [1 / (rank**1.1) for rank in range(1, self.organizations + 1)]
        self.cumulative = list(accumulate(weights))  # drawing from cumulative weights is a binary search
        self.kinds = [self._kind(rank) for rank in range(self.organizations)]
        self.ranks = range(self.organizations)

    def _kind(self, rank: int) -> str:
        if rank < 30:
            return "foundation"  # the national foundations lead the ranking
        draw = (rank * 2654435761) % 100  # deterministic mix of the rest
        return (
            "social_organization"
            if draw < 45
            else "enterprise"
            if draw < 88
            else "industry_association"
            if draw < 94
            else "foundation"
        )

    def _org(self, rank: int) -> Organization:
        kind = self.kinds[rank]
        county = self.counties[rank % len(self.counties)]
        word = _PLACE_WORDS[rank % len(_PLACE_WORDS)]
        name = f"{county.short}{word}{_ORG_SUFFIX[kind]}" if rank >= 30 else f"中国{word}发展{_ORG_SUFFIX[kind]}"
        return Organization(id=f"org-{rank}", name=f"{name}{rank}", kind=OrgKind(kind))

    def _participants(self, count: int) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < count:
            rank = (
                self.rng.choices(self.ranks, cum_weights=self.cumulative, k=1)[0]
                if len(chosen) < 2
                else self.rng.randrange(self.organizations)
            )
            if rank not in chosen:
                chosen.append(rank)
        return chosen

    def items(self) -> Iterator[Node | Relationship]:
        """Every node and relationship, nodes of a kind before the relationships that need them."""
        for rank in range(self.organizations):
            yield self._org(rank)
        governments: dict[int, str] = {}
        for index in range(self.programs):
            yield from self._program(index, governments)
        for index in range(self.funds):
            yield from self._fund(index)

    def _government(self, county_index: int, governments: dict[int, str]) -> Iterator[Node | Relationship]:
        if county_index in governments:
            return
        county = self.counties[county_index]
        gov_id = f"gov-{county.adcode}"
        governments[county_index] = gov_id
        # Named with its prefecture (沈阳市和平区人民政府): county names repeat across China, and two
        # organisations of one name are refused unless a decision says they differ.
        parent = gazetteer().get(county.parent or "")
        name = f"{parent.name if parent and parent.level == 'prefecture' else ''}{county.name}人民政府"
        yield Organization(id=gov_id, name=name, kind=OrgKind.government, level=GovLevel.county)
        source = f"syn-gov-{county.adcode}"
        yield Source(
            id=source,
            name=f"合成数据：{county.name}人民政府",
            publisher="ruralgraph synth",
            url=f"https://example.invalid/gov/{county.adcode}",
        )
        yield Relationship.model_validate(
            {
                "from": gov_id,
                "type": "LOCATED_IN",
                "to": f"region:{county.adcode}",
                "source": source,
                "evidence": f"{county.name}人民政府",
            }
        )

    def _program(self, index: int, governments: dict[int, str]) -> Iterator[Node | Relationship]:
        rng = self.rng
        program_id = f"prog-{index}"
        name = f"{rng.choice(_PROGRAM_WORDS)}{rng.choice(_PLACE_WORDS)}{rng.choice(_PROGRAM_KINDS)}{index}"
        if rng.random() < 0.1:
            yield Event(id=program_id, name=name.replace("计划", "活动日"), category="公益日")
            target_label = "Event"
        else:
            yield Program(
                id=program_id,
                name=name,
                category=rng.choice(["产业帮扶", "教育", "医疗", "人才"]),
                duration_years=rng.randint(1, 5),
            )
            target_label = "Program"
        source = f"syn-src-{index}"
        yield Source(
            id=source,
            name=f"合成数据：{name}",
            publisher="ruralgraph synth",
            url=f"https://example.invalid/program/{index}",
        )
        participants = self._participants(rng.randint(2, 10))
        for position, rank in enumerate(participants):
            org = f"org-{rank}"
            roles = ["LAUNCHED"] if position < 2 else [rng.choice(["FUNDS", "IMPLEMENTS", "IMPLEMENTS", "SUPERVISES"])]
            if position == 0 and rng.random() < 0.5:
                roles.append("FUNDS")
            for rel_type in roles:
                data = {
                    "from": org,
                    "type": rel_type,
                    "to": program_id,
                    "source": source,
                    "role": rng.choice(_ROLES[rel_type]),
                    "evidence": f"org-{rank}{_ROLES[rel_type][0]}{name}"[:80],
                }
                if rel_type == "FUNDS":
                    data["amount_text"] = amount_text(rng)
                yield Relationship.model_validate(data)
        for county_index in sorted({rng.randrange(len(self.counties)) for _ in range(rng.randint(1, 3))}):
            county = self.counties[county_index]
            yield Relationship.model_validate(
                {
                    "from": program_id,
                    "type": "OPERATES_IN",
                    "to": f"region:{county.adcode}",
                    "source": source,
                    "evidence": f"{name}在{county.name}实施",
                }
            )
            if target_label == "Program" and rng.random() < 0.3:
                yield from self._government(county_index, governments)
                yield Relationship.model_validate(
                    {
                        "from": governments[county_index],
                        "type": "GUIDES",
                        "to": program_id,
                        "source": source,
                        "role": "指导",
                        "evidence": f"{county.name}人民政府指导{name}"[:80],
                    }
                )

    def _fund(self, index: int) -> Iterator[Node | Relationship]:
        rng = self.rng
        fund_id = f"fund-{index}"
        name = f"{rng.choice(_PLACE_WORDS)}帮扶基金{index}"
        yield Fund(id=fund_id, name=name)
        source = f"syn-fund-src-{index}"
        yield Source(
            id=source,
            name=f"合成数据：{name}",
            publisher="ruralgraph synth",
            url=f"https://example.invalid/fund/{index}",
        )
        founders = self._participants(rng.randint(2, 3))
        for position, rank in enumerate(founders):
            yield Relationship.model_validate(
                {
                    "from": f"org-{rank}",
                    "type": "CO_FOUNDED",
                    "to": fund_id,
                    "source": source,
                    "role": rng.choice(["资金筹措", "资金管理", "协调实施"]),
                    "evidence": f"org-{rank}联合设立{name}",
                }
            )
            if position == 1:
                yield Relationship.model_validate(
                    {
                        "from": f"org-{rank}",
                        "type": "MANAGES_FUNDS",
                        "to": fund_id,
                        "source": source,
                        "role": "资金管理",
                        "amount_text": amount_text(rng),
                        "evidence": f"org-{rank}负责{name}资金管理",
                    }
                )
        for program in sorted({rng.randrange(self.programs) for _ in range(rng.randint(1, 3))}):
            yield Relationship.model_validate(
                {
                    "from": fund_id,
                    "type": "FUNDS",
                    "to": f"prog-{program}",
                    "source": source,
                    "amount_text": amount_text(rng),
                    "evidence": f"{name}资助prog-{program}",
                }
            )


def write_synthetic(size: str, directory: Path, seed: int = 7) -> SynthReport:
    """Write ``synth-{size}-seed{seed}.jsonl`` into ``directory``."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"synth-{size}-seed{seed}.jsonl"
    nodes = relationships = 0
    with path.open("w", encoding="utf-8") as handle:
        for item in Generator(SIZES[size], seed).items():
            if isinstance(item, Relationship):
                relationships += 1
                handle.write(dump_relationship(item) + "\n")
            else:
                nodes += 1
                handle.write(dump_node(item) + "\n")
    return SynthReport(path, nodes, relationships)
