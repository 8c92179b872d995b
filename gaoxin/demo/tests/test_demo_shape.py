"""The demo looks like a zone's own data (issue 17): a 一次办好 list with each item once, variants
only where the province's lists carry them, the article's 265 items; projects and investors
named as a register names them; a source's city inside its province."""

from __future__ import annotations

import random
import re

from gaoxin.affairs.demo import (
    CATALOGUE,
    COMPANY_SETUP_EXTRA,
    ITEMS_IN_THE_ARTICLE,
    SUBJECTS,
    catalogue_rows,
)
from gaoxin.projects.demo import KINDS, PROVINCES, _names

# The licences whose 新办/变更/延续/注销 the province's lists carry as separate items.
LICENCES_WITH_VARIANTS = {
    "食品经营许可",
    "食品生产许可",
    "药品零售企业许可",
    "劳务派遣经营许可",
    "危险化学品经营许可",
    "公共场所卫生许可",
}
VARIANT = re.compile(r"（(新办|变更|延续|注销|补证|换证|告知承诺制)）$")


def test_the_list_has_the_articles_265_items_each_named_once():
    rows = catalogue_rows()
    names = [name for _code, name, _subject in rows] + [n for _c, n, _h, _m in COMPANY_SETUP_EXTRA]
    assert len(names) == ITEMS_IN_THE_ARTICLE == 265
    assert len(set(names)) == len(names)
    assert len({code for code, _n, _s in rows}) == len(rows)
    assert "企业设立登记" in names and "印章刻制备案" in names  # 企业开办's steps


def test_variants_only_for_the_licences_whose_lists_carry_them():
    varied = {
        VARIANT.sub("", name) for _code, name, _subject in catalogue_rows() if VARIANT.search(name)
    }
    assert varied <= LICENCES_WITH_VARIANTS, varied - LICENCES_WITH_VARIANTS
    assert not any("告知承诺制" in name for _c, name, _s in catalogue_rows())


def test_each_group_opens_with_its_subject_and_every_subject_is_used():
    assert set(CATALOGUE) == {subject[1] for subject in SUBJECTS}
    first_items = {name for code, name, _s in catalogue_rows() if code.endswith("01")}
    assert len(first_items) == len(SUBJECTS)


def test_a_source_city_lies_in_its_province_and_never_repeats_it():
    for province, cities, _weight in PROVINCES:
        for city in cities:
            assert city != province
            if province in ("北京市", "上海市"):
                assert city.endswith(("区", "开发区")), city


def test_projects_and_investors_have_plausible_unique_names():
    rng, used = random.Random(7), set()
    seen = set()
    for i in range(600):
        cluster = ["equipment", "it", "health"][i % 3]
        kind = rng.choice(KINDS[cluster])
        name, investor = _names(rng, kind, "浙江省", "宁波市", used)
        assert name.endswith("项目") and not re.search(r"项目\d|\d项目$|投资方|线索", name)
        assert investor.startswith("宁波") and investor.endswith("有限公司")
        assert "市" not in investor[:3]
        seen.add(name)
    assert len(seen) == 600
    name, investor = _names(rng, "芯片", "上海市", "浦东新区", used)
    assert investor.startswith("上海") and not investor.startswith("上海市")
    assert _names(rng, "医疗器械", "日本", "大阪", used)[1].endswith("株式会社")
