"""The gazetteer: coverage of UN states, required entities, offices, user files, errors."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.entities.gazetteer import GazetteerError, load_gazetteer, match_key, nisba_forms

UN_MEMBERS = """AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV
GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR
ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM
MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA
ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK
THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE""".split()
OBSERVERS = ["PSE", "VAT"]
NEED_DEMONYMS = """DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM
CHN FRA GBR RUS USA UKR ISR TUR IRN AFG PAK AZE ARM GEO DEU ITA ESP IND JPN""".split()


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_every_un_member_and_observer(gaz):
    assert len(UN_MEMBERS) == 193
    countries = set(gaz.entities.loc[gaz.entities["type"] == "country", "entity_id"])
    assert set(UN_MEMBERS + OBSERVERS) <= countries
    import pycountry

    for code in countries:
        assert pycountry.countries.get(alpha_3=code) is not None, code


def test_entities_table(gaz):
    ent = gaz.entities
    assert list(ent.columns) == ["entity_id", "type", "country", "name_ar", "label_en"]
    assert ent["entity_id"].is_unique
    assert set(ent["type"]) == {"country", "person", "organization", "place"}
    assert ent["name_ar"].map(bool).all() and ent["label_en"].map(bool).all()
    for eid, country in [("putin", "RUS"), ("bashar_assad", "SYR"), ("khamenei", "IRN"), ("moscow", "RUS"),
                         ("kremlin", "RUS"), ("hmeimim", "SYR"), ("tartus", "SYR"), ("kursk", "RUS"),
                         ("gaza", "PSE"), ("idlib", "SYR"), ("aleppo", "SYR"), ("golan", "SYR"),
                         ("irgc", "IRN"), ("sdf", "SYR"), ("hts", "SYR"), ("wagner", "RUS"), ("hezbollah", "LBN"),
                         ("houthis", "YEM"), ("hamas", "PSE")]:
        assert gaz.country_of(eid) == country, eid
    for eid in ["isis", "un", "unsc", "nato", "eu", "opec", "arab_league"]:
        assert eid in gaz
    assert gaz.label("RUS") == "روسيا" and gaz.label("RUS", lang="en") == "Russia"
    assert gaz.label("putin", "en") == "Vladimir Putin"


def test_short_news_names_and_demonyms(gaz):
    forms = gaz.forms()
    def forms_of(eid):
        return set(forms.loc[forms["entity_id"] == eid, "form"])
    assert {"روسيا", "الاتحاد الروسي", "الروسي", "الروسيه", "الروس", "روسيين"} <= forms_of("RUS")
    assert {"سوريا", "سوريه", "السوريون", "السوريين"} <= forms_of("SYR")
    assert {"ايران", "الايرانيين", "ايراني"} <= forms_of("IRN")
    assert "روسيا البيضاء" in forms_of("BLR") and "روسيا البيضاء" not in forms_of("RUS")
    assert {"جبهه النصره", "هيئه تحرير الشام"} <= forms_of("hts")  # one entity across the rename
    for code in NEED_DEMONYMS:
        assert gaz._demonyms.get(code) or gaz._people.get(code), code


def test_nisba_forms():
    forms = nisba_forms("روسي")
    assert {"روسي", "الروسي", "روسيه", "الروسيه", "الروسيون", "روسيين", "الروسيات", "روسيتان", "روسيا"} <= set(forms)
    assert "الكوريه الشماليه" in nisba_forms("كوري شمالي")
    assert match_key("الرئيسُ الروسيّ، فلاديمير") == "الرئيس الروسي فلاديمير"


def test_offices_resolve_by_date(gaz):
    syr = gaz.offices["president_syr"]
    assert syr.holder(pd.Timestamp("2018-04-14")) == "bashar_assad"
    assert syr.holder(pd.Timestamp("2024-12-07 23:00")) == "bashar_assad"
    assert syr.holder(pd.Timestamp("2024-12-08")) is None
    assert syr.holder(pd.Timestamp("2025-03-01", tz="UTC")) == "ahmed_sharaa"
    rus = gaz.offices["president_rus"]
    assert rus.holder(pd.Timestamp("2010-01-01")) == "medvedev"
    assert rus.holder(pd.Timestamp("2018-01-01")) == "putin"
    assert gaz.offices["supreme_leader_irn"].holder(pd.Timestamp("2015-01-01")) == "khamenei"
    assert gaz.offices["fm_irn"].holder(pd.Timestamp("2018-05-08")) == "zarif"
    assert gaz.offices["president_usa"].holder(pd.Timestamp("2018-05-08")) == "trump"
    assert gaz.offices["president_usa"].holder(pd.Timestamp("2022-05-08")) == "biden"
    assert syr.holder(None) is None
    for required in ["president_rus", "fm_rus", "president_syr", "fm_syr", "president_irn", "fm_irn",
                     "supreme_leader_irn", "president_tur", "fm_tur", "president_usa", "secstate_usa",
                     "pm_isr", "fm_isr", "president_ukr", "fm_ukr", "king_sau", "fm_sau", "emir_qat"]:
        assert required in gaz.offices


def test_user_file_extends_and_overrides(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "persons:\n"
        "  nebenzia: {en: Vasily Nebenzia, country: RUS, names: [نيبينزيا, فاسيلي نيبينزيا]}\n"
        "  putin: {add_names: [القيصر]}\n"
        "affiliations:\n"
        "  hts: null\n"
        "remove: [wagner]\n", encoding="utf-8")
    g = load_gazetteer(extra=user)
    assert "nebenzia" in g and g.country_of("nebenzia") == "RUS"
    assert "القيصر" in g.names("putin") and "بوتين" in g.names("putin")
    assert g.country_of("hts") is None
    assert "wagner" not in g
    base = load_gazetteer()
    assert "wagner" in base and base.country_of("hts") == "SYR"  # the built-in one is untouched
    g2 = load_gazetteer(extra={"places": {"homs": {"names": ["حمص", "مدينة حمص"], "country": "SYR", "en": "Homs"}}})
    assert g2.names("homs") == ["حمص", "مدينة حمص"]


def test_replacement_gazetteer(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text("countries:\n  RUS: {en: Russia, names: [روسيا]}\n", encoding="utf-8")
    g = load_gazetteer(path=own)
    assert g.entities["entity_id"].tolist() == ["RUS"]


@pytest.mark.parametrize("content, message", [
    ("countries:\n  RUS: {names: [روسيا]\n", "bad.yaml:"),
    ("persons:\n  x: {country: XXX, names: [اكس]}\n", "unknown country 'XXX'"),
    ("persons:\n  x: {country: RUS}\n", "needs at least one name"),
    ("offices:\n  o: {country: RUS, titles: [رئيس], holders: [{person: nobody}]}\n", "unknown person 'nobody'"),
    ("offices:\n  o: {country: RUS, titles: [رئيس], holders: [{person: putin, from: notadate}]}\n", "bad date"),
    ("bogus: 1\n", "unknown section 'bogus'"),
    ("ambiguous:\n  - {name: الأسد, default: nobody}\n", "unknown default entity"),
])
def test_bad_files_name_file_and_entry(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(extra=bad)


def test_missing_file(tmp_path):
    with pytest.raises(GazetteerError, match="not found"):
        load_gazetteer(extra=tmp_path / "nope.yaml")


# -- coverage of issue 11, the listing, title sets --------------------------------

OFFICE_COUNTRIES = """DZA BHR EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM
IRN TUR ISR RUS USA GBR FRA DEU CHN""".split()


def test_offices_cover_the_2010_2025_cast(gaz):
    heads = {o.country for oid, o in gaz.offices.items()
             if oid.split("_")[0] in ("president", "king", "emir", "sultan", "monarch", "chancellor", "leader")
             or oid.startswith("supreme_leader")}
    assert set(OFFICE_COUNTRIES) <= heads | {"DJI", "COM"}
    for code in ("RUS", "SYR", "IRN", "TUR", "USA", "ISR", "SAU", "EGY", "IRQ", "GBR", "FRA", "DEU", "CHN", "ARE", "QAT"):
        kinds = {oid.rsplit("_", 1)[0] for oid, o in gaz.offices.items() if o.country == code}
        assert {"fm"} & kinds or {"secstate"} & kinds, code
    assert {"dm_rus", "secdef_usa", "dm_isr", "dm_irn", "dm_tur", "dm_sau", "dm_egy", "dm_gbr", "dm_fra", "dm_deu",
            "dm_chn", "crown_prince_sau", "deputy_crown_prince_sau", "un_sg", "un_envoy_syr", "un_envoy_yem",
            "un_envoy_lby", "arab_league_sg", "hezbollah_sg", "isis_leader", "houthi_leader"} <= set(gaz.offices)
    # holders in order, without overlaps
    for oid, office in gaz.offices.items():
        spans = [(s, e) for _p, s, e in office.holders]
        for (s1, e1), (s2, _e2) in zip(spans, spans[1:]):
            assert e1 is not None and s2 is not None and e1 <= s2, oid
    people = gaz.entities[gaz.entities["type"] == "person"]
    assert len(people) >= 500


@pytest.mark.parametrize("office, when, holder", [
    ("dm_rus", "2018-01-01", "shoigu"), ("dm_rus", "2025-01-01", "belousov"), ("secdef_usa", "2018-01-01", "mattis"),
    ("pm_gbr", "2018-01-01", "theresa_may"), ("pm_gbr", "2022-10-01", "liz_truss"), ("chancellor_deu", "2018-01-01", "merkel"),
    ("president_egy", "2013-01-01", "morsi"), ("president_egy", "2012-01-01", None), ("pm_iraq" if False else "pm_irq", "2016-01-01", "haider_abadi"),
    ("crown_prince_sau", "2016-01-01", "mohammed_bin_nayef"), ("deputy_crown_prince_sau", "2016-01-01", "mohammed_bin_salman"),
    ("un_envoy_syr", "2016-01-01", "de_mistura"), ("hezbollah_sg", "2025-01-01", "naim_qassem"),
    ("president_lbn", "2015-01-01", None), ("fm_chn", "2023-05-01", "qin_gang"),
])
def test_holders_by_date(gaz, office, when, holder):
    assert gaz.offices[office].holder(pd.Timestamp(when)) == holder


def test_title_sets_expand(gaz):
    forms = gaz.title_forms(gaz.offices["dm_fra"])
    assert {"وزير الدفاع الفرنسي", "وزيره الدفاع الفرنسيه", "وزير دفاع فرنسا", "وزيره الجيوش الفرنسيه"} <= set(forms)
    assert "المبعوث الاممي لسوريا" in gaz.title_forms(gaz.offices["un_envoy_syr"])
    assert "المبعوث الاممي لليمن" in gaz.title_forms(gaz.offices["un_envoy_yem"])  # ل + ال = لل


def test_list_and_search(gaz):
    table = gaz.list()
    assert list(table.columns) == ["entity_id", "type", "country", "name_ar", "label_en", "names"]
    assert set(table["type"]) == {"country", "person", "organization", "place", "office"}
    assert gaz.list(search="lavrov")["entity_id"].tolist() == ["lavrov"]
    assert "lavrov" in set(gaz.list(search="لافروف")["entity_id"])
    assert "RUS" in set(gaz.list(search="روسيا", type="country")["entity_id"])
    assert "khamenei" in set(gaz.list(search="خامنىء")["entity_id"]) or "khamenei" in set(gaz.list(search="خامنئي")["entity_id"])
    assert "kerry" in set(gaz.list(search="كيري")["entity_id"])  # bare names are searched too
    assert set(gaz.list(type="office", search="syria")["entity_id"]) >= {"president_syr", "fm_syr", "un_envoy_syr"}
    assert "أمير" in gaz.list(search="emir_qat")["name_ar"].iloc[0] or "قطر" in gaz.list(search="emir_qat")["names"].iloc[0]
    with pytest.raises(ValueError, match="type must be"):
        gaz.list(type="people")


def test_cli_entities(tmp_path, capsys):
    from analysis.cli import main

    assert main(["entities", "--type", "person", "putin"]) == 0
    out = capsys.readouterr().out
    assert "putin" in out and "RUS" in out and "بوتين" in out
    assert main(["entities", "nothing-like-this"]) == 1
    assert "no entry matches" in capsys.readouterr().err
    csv = tmp_path / "e.csv"
    assert main(["entities", "--country", "SYR", "--out", str(csv)]) == 0
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(csv, encoding="utf-8-sig")
    assert set(df["country"]) == {"SYR"} and {"bashar_assad", "president_syr", "damascus"} <= set(df["entity_id"])
    assert main(["entities", "--out", str(tmp_path / "e.txt")]) == 2


def test_gazetteer_loads_cached_by_content(tmp_path):
    from analysis.entities import gazetteer as G

    f = tmp_path / "g.yaml"
    f.write_text("persons:\n  a: {country: RUS, names: [ابجد]}\n", encoding="utf-8")
    g1 = load_gazetteer(extra=f)
    assert load_gazetteer(extra=f) is g1
    f.write_text("persons:\n  a: {country: RUS, names: [هوز]}\n", encoding="utf-8")  # same size, same second
    assert load_gazetteer(extra=f).names("a") == ["هوز"]
    assert G.Gazetteer.__module__ == "analysis.entities.gazetteer"
