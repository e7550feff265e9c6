"""extract_quotes: reporting verbs, speakers, inheritance, content spans (and the CLI)."""
from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import analysis
from analysis.voices import STATEMENT_COLUMNS, extract_quotes
from analysis.voices.verbs import verb_forms

DATE = pd.Timestamp("2018-04-10", tz="UTC")


def _run(texts, titles=None, **kw):
    arts = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(texts))],
        "title": titles or [""] * len(texts),
        "text": texts,
        "published": DATE,
    })
    mentions = analysis.extract_mentions(articles=arts, progress=False)
    return arts, extract_quotes(arts, mentions, progress=False, **kw)


def _first_rows(texts, **kw):
    """The statements of articles a0, a1 ... and the first statement of each."""
    _, q = _run(texts, **kw)
    return q, {a: g.iloc[0] for a, g in q.groupby("article_id")}


def _one(text, **kw):
    arts, q = _run([text], **kw)
    return text, q


def test_columns_and_offsets_point_into_the_text():
    text = ("وقال وزير الخارجية الروسي سيرغي لافروف، في مؤتمر صحفي، إن موسكو لن تقبل بذلك. "
            "وأضاف أن الولايات المتحدة تتحمل المسؤولية.")
    _, q = _one(text)
    assert list(q.columns) == STATEMENT_COLUMNS
    assert len(q) == 2
    first, second = q.iloc[0], q.iloc[1]
    assert text[first.verb_start:first.verb_end] == first.verb == "قال"  # و stays out
    assert first.lemma == "قال"
    assert text[first.speaker_start:first.speaker_end] == first.speaker_text == "وزير الخارجية الروسي سيرغي لافروف"
    assert (first.speaker_id, first.speaker_country, first.speaker_kind) == ("lavrov", "RUS", "person")
    assert text[first.quote_start:first.quote_end] == "موسكو لن تقبل بذلك"
    assert first.quote_entities == "moscow" and first.quote_countries == "RUS"
    assert not first.direct
    # the continuation verb inherits the speaker, and says where it was found
    assert second.verb == "أضاف"
    assert (second.speaker_id, second.speaker_kind) == ("lavrov", "pronoun_or_earlier")
    assert (second.sentence, second.speaker_sentence) == (1, 0)
    assert text[second.quote_start:second.quote_end] == "الولايات المتحدة تتحمل المسؤولية"
    assert second.quote_countries == "USA"


def test_feminine_continuation_inherits_the_feminine_speaker():
    text = ("وقالت وزارة الخارجية الروسية إن الضربة غير قانونية. وقال لافروف إن موسكو سترد. "
            "وأضافت الوزارة أن روسيا تدين العدوان. وأضافت أن الرد سيكون مناسبا.")
    _, q = _one(text)
    assert q["speaker_id"].tolist() == ["russian_mfa", "lavrov", "russian_mfa", "russian_mfa"]
    assert q["speaker_kind"].tolist()[:2] == ["institution", "person"]
    assert q["speaker_kind"].iloc[3] == "pronoun_or_earlier"


def test_unnamed_sources_and_reports():
    text = ("ذكرت مصادر مطلعة أن إيران تستعد لجولة جديدة. وقال مصدر دبلوماسي غربي لرويترز إن المفاوضات توقفت. "
            "وأفادت تقارير إعلامية بأن الاجتماع تأجل.")
    _, q = _one(text)
    assert q["speaker_kind"].tolist() == ["unnamed_source"] * 3
    assert q["speaker_text"].tolist() == ["مصادر مطلعة", "مصدر دبلوماسي غربي", "تقارير إعلامية"]
    assert q["lemma"].tolist() == ["ذكر", "قال", "افاد"]


def test_quoted_via_an_agency():
    text = "نقلت وكالة الأنباء السورية (سانا) عن مصدر عسكري قوله إن الجيش السوري سيطر على البلدة."
    _, q = _one(text)
    r = q.iloc[0]
    assert r.speaker_text == "مصدر عسكري" and r.speaker_kind == "unnamed_source"
    assert r.via.startswith("وكالة الأنباء السورية")
    assert r.speaker_country == "SYR"  # an unnamed source of a Syrian channel
    assert "syrian_army" in r.quote_entities.split()


def test_attribution_after_the_quotation_and_direct_quotes():
    text = "«لن نسمح بذلك أبدا»، قال لافروف للصحفيين. وأضاف: «سنرد على أي عدوان»."
    _, q = _one(text)
    assert len(q) == 2
    a, b = q.iloc[0], q.iloc[1]
    assert a.direct and text[a.quote_start:a.quote_end] == "لن نسمح بذلك أبدا"
    assert a.speaker_id == "lavrov" and a.speaker_text == "لافروف"
    assert b.direct and text[b.quote_start:b.quote_end] == "سنرد على أي عدوان"
    assert b.speaker_id == "lavrov" and b.speaker_kind == "pronoun_or_earlier"


def test_offices_titles_and_demonym_phrases():
    text = ("وقال الرئيس السوري إن الإرهاب سيهزم، مؤكدا أن سوريا ستنتصر. "
            "وقال وزير الخارجية الأمريكي إن واشنطن تدرس الخيارات. "
            "وقالت المتحدث باسم الخارجية الإيرانية إن طهران ترفض الاتهامات.")
    _, q = _one(text)
    assert len(q) == 3  # a participle continuing a statement (مؤكدا أن) is part of it, not a row
    r = q.iloc[0]
    assert (r.speaker_id, r.speaker_country, r.speaker_kind) == ("bashar_assad", "SYR", "office")
    assert text[r.quote_start:r.quote_end] == "الإرهاب سيهزم، مؤكدا أن سوريا ستنتصر"
    assert r.quote_countries == "SYR"
    us, ir = q.iloc[1], q.iloc[2]
    assert (us.speaker_id, us.speaker_country, us.speaker_kind) == ("", "USA", "office")
    assert us.speaker_country_basis == "phrase" and r.speaker_country_basis == "entity"
    assert (ir.speaker_text, ir.speaker_country, ir.speaker_kind) == (
        "المتحدث باسم الخارجية الإيرانية", "IRN", "office")


def test_speaker_before_the_verb_and_names_outside_the_gazetteer():
    text = ("وكان الرئيس الروسي فلاديمير بوتين قد قال إن روسيا ستدعم دمشق. "
            "وقال محمد العلي، الخبير في الشؤون الروسية، إن الموقف لن يتغير. وأضاف العلي أن موسكو حذرة.")
    _, q = _one(text)
    assert len(q) == 3
    a, b, c = q.iloc[0], q.iloc[1], q.iloc[2]
    assert (a.speaker_id, a.speaker_kind) == ("putin", "person")
    assert a.speaker_text.endswith("فلاديمير بوتين")
    assert (b.speaker_text, b.speaker_id, b.speaker_kind) == ("محمد العلي", "", "person")
    assert c.speaker_text == "العلي" and c.speaker_kind == "person"


def test_participle_anchor_and_nested_verbs():
    text = ('وحرص المخرج على شكر الجمهور قائلا: "هذا الفوز لكم". '
            'وقال لافروف إن الوزارة أعلنت أن المحادثات ستستمر.')
    _, q = _one(text)
    assert q["verb"].tolist() == ["قائلا", "قال"]  # أعلنت is inside Lavrov's reported content
    assert q.iloc[0].direct


def test_country_from_the_article_is_marked_as_a_guess():
    arts = pd.DataFrame({"article_id": ["a"], "title": ["احتجاجات في إيران"], "published": DATE,
                         "text": ["قال مصدر أمني إن الشرطة اعتقلت العشرات. وقال المبعوث الأممي إن الحوار ضروري."]})
    m = analysis.extract_mentions(articles=arts, progress=False)
    q = extract_quotes(arts, m, progress=False)
    assert q["speaker_country"].tolist() == ["IRN", ""]  # an international official gets none
    assert q["speaker_country_basis"].tolist() == ["context", ""]
    q0 = extract_quotes(arts, m, progress=False, context_country=False)
    assert q0["speaker_country"].tolist() == ["", ""]


def test_the_article_country_counts_every_mention_the_title_four_times():
    # the title names Syria once (4), the text Russia five times (5): Russia; with the title's country
    # first, as the rule was, the guess would be Syria
    text = ("وصل وفد روسي إلى موسكو. وقالت روسيا إن المحادثات مع روسيا جيدة. وتقول موسكو إن الروس مستعدون. "
            "وقال مصدر مطلع إن الاتفاق قريب.")
    arts = pd.DataFrame({"article_id": ["a"], "title": ["مفاوضات بشأن سوريا"], "published": DATE, "text": [text]})
    m = analysis.extract_mentions(articles=arts, progress=False)
    c = m.assign(c=m.country.where(m.entity_type != "country", m.entity_id))
    assert (c.c == "RUS").sum() >= 5 and (c[c.field == "title"].c == "SYR").sum() == 1
    q = extract_quotes(arts, m, progress=False)
    row = q[q.speaker_text == "مصدر مطلع"].iloc[0]
    assert (row.speaker_country, row.speaker_country_basis) == ("RUS", "context")


def test_non_reporting_uses_are_not_statements():
    texts = [
        "وأضاف الفريق هدفا ثانيا في الدقيقة 80.",  # أضاف: added (a goal)
        "ويذكر أن الحرب بدأت عام 2011.",  # the writer's aside
        "ونقل الجرحى إلى المستشفى القريب.",  # نقل: moved
        "وتابع المشجعون المباراة في الساحة.",  # تابع: followed
        "وهو مستشفى تابع لوزارة الصحة.",  # تابع: affiliated
        "ولم يعلن الجيش عن خسائره.",  # negated
        "وحرص الفنان على لفت الانتباه إلى القضية.",  # a verbal noun, an idiom
    ]
    _, q = _run(texts)
    assert q.empty, q[["article_id", "verb", "speaker_text"]]


def test_title_field_and_present_tense_svo():
    _, q = _run(["نص قصير بلا تصريحات."], titles=["لافروف يؤكد أن موسكو لن تتراجع"])
    assert len(q) == 1
    r = q.iloc[0]
    assert (r.field, r.verb, r.speaker_id) == ("title", "يؤكد", "lavrov")


def test_nominal_relative_and_document_statements():
    texts = [
        "التقى الملك عبد الله الثاني نتنياهو في عمان. وأكد ضرورة تحقيق تقدم في جهود السلام.",  # و + a noun
        "وكان بوتين الذي أعلن ترشحه لولاية جديدة في موسكو أمس.",  # a relative clause: the object is no speaker
        "أصدرت الوزارة بيانا. وجاء في البيان الذي نشر على موقعها أن القوات أحبطت الهجوم.",  # نُشر: a passive
        'وغرد الوزير على تويتر السبت، مطالبا الشعب بالاعتذار، وهدد من سماهم بـ"الحاقدين والطائفيين"، '
        'قائلا "الويل لهؤلاء الذين لم يفهموا".',
        'وقالت الشرطة إن "الأعراض ذاتها لم تظهر على أي شخص آخر في المنزل" يشير إلى أنهما مستهدفان.',
        "وجاء المدرب إلى الملعب مبكرا.",  # جاء: came
    ]
    _, q = _run(texts)
    got = {a: g["verb"].tolist() for a, g in q.groupby("article_id")}
    assert got == {"a0": ["أكد"], "a1": ["أعلن"], "a2": ["جاء"], "a3": ["غرد", "هدد"], "a4": ["قالت"]}
    by = q.set_index("verb")
    assert by.at["أكد", "speaker_id"] == "king_abdullah_ii" and by.at["أكد", "speaker_kind"] == "pronoun_or_earlier"
    assert by.at["أعلن", "speaker_id"] == "putin" and by.at["أعلن", "speaker_text"] == "بوتين"
    assert (by.at["جاء", "speaker_text"], by.at["جاء", "speaker_kind"]) == ("البيان", "institution")
    assert by.at["هدد", "direct"] and by.at["غرد", "speaker_text"] == "الوزير"


def test_country_from_appositives_media_names_and_earlier_institutions():
    texts = [
        "وقال يوري فاسيليف، مندوب روسيا لدى الأمم المتحدة، إن على جميع الأطراف وقف القتال.",
        'وقالت صحيفة "صن" البريطانية إن الهاتف بيع بسعر مرتفع.',
        "فرضت وزارة الخزانة الأمريكية عقوبات جديدة على طهران. وتابعت الخزانة أن البنك المركزي الإيراني يدعم الحرس.",
        "ونقلت رويترز عن مصدر أمني قوله إن الهجوم أسفر عن قتلى.",  # a wire's source: not British
        "ونقلت وكالة الأنباء السورية عن مصدر عسكري قوله إن الجيش تقدم.",  # a national agency's: Syrian
    ]
    _, q = _run(texts)
    assert q["speaker_country"].tolist() == ["RUS", "GBR", "USA", "", "SYR"]
    assert q["speaker_country_basis"].tolist() == ["phrase", "phrase", "earlier", "", "context"]
    assert q["speaker_text"].tolist()[:2] == ["يوري فاسيليف", 'صحيفة "صن" البريطانية']


def test_verb_lexicon_forms():
    forms = verb_forms("core")
    for f in ("قال", "قالت", "قالوا", "وقال", "فقالت", "يقول", "تقول", "اضاف", "واضافت", "مؤكدا", "ادعت", "راوا"):
        assert f in forms, f
    assert forms["وقالت"].strip == 1 and forms["وقالت"].gender == "fs" and forms["وقالت"].lemma == "قال"
    assert "دعا" not in forms and "دعا" in verb_forms("extended")
    with pytest.raises(ValueError, match="verbs must be one of"):
        verb_forms("all")


def test_bad_input_is_reported():
    arts = pd.DataFrame({"article_id": ["a", "a"], "text": ["قال", "قال"]})
    m = analysis.extract_mentions(articles=arts.iloc[:1], progress=False)
    with pytest.raises(ValueError, match="occurs more than once"):
        extract_quotes(arts, m, progress=False)
    with pytest.raises(ValueError, match="mentions table has no"):
        extract_quotes(arts.iloc[:1], m.drop(columns=["entity_type"]), progress=False)
    with pytest.raises(ValueError, match="no 'text' column"):
        extract_quotes(arts[["article_id"]], m, progress=False)
    with pytest.raises(TypeError):
        extract_quotes("articles.csv", m)


def test_thread_safe_and_same_across_processes(sample_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = analysis.load_corpus([sample_dir], progress=False)
    mentions = analysis.extract_mentions(articles=arts, progress=False)
    ref = extract_quotes(arts, mentions, progress=False, chunk_size=7)
    assert len(ref) > 50
    core = extract_quotes(arts, mentions, progress=False, chunk_size=5, verbs="core", context_country=False)
    assert len(core) < len(ref)
    # calls with different arguments at once: no state is shared between them (the module keeps only
    # the compiled lexicons; _WORKER is set in forked worker processes only)
    with ThreadPoolExecutor(4) as ex:
        outs = list(ex.map(lambda i: extract_quotes(arts, mentions, progress=False, chunk_size=7) if i % 2 else
                           extract_quotes(arts, mentions, progress=False, chunk_size=5, verbs="core",
                                          context_country=False), range(8)))
    for i, o in enumerate(outs):
        pd.testing.assert_frame_equal(o, ref if i % 2 else core)
    from analysis.voices import extract as _extract

    assert _extract._WORKER == {}  # never set in the calling process
    pd.testing.assert_frame_equal(extract_quotes(arts, mentions, progress=False, n_jobs=2, chunk_size=20), ref)
    pd.testing.assert_frame_equal(extract_quotes(arts, mentions, progress=False), ref)


def test_cli_quotes(sample_dir, tmp_path):
    from analysis.cli import main

    out = tmp_path / "q.csv"
    assert main(["quotes", str(sample_dir), "--out", str(out), "--quiet"]) == 0
    df = pd.read_csv(out, keep_default_na=False)
    assert list(df.columns) == STATEMENT_COLUMNS and len(df) > 50
    assert main(["quotes", str(sample_dir), "--out", str(tmp_path / "q.txt"), "--quiet"]) == 2


@pytest.fixture(scope="module")
def ant_statements(ant_corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = analysis.load_corpus([ant_corpus], progress=False)
    arts = arts[arts["category"] != "sport"].sample(3000, random_state=1).reset_index(drop=True)
    mentions = analysis.extract_mentions(articles=arts, progress=False)
    return arts, extract_quotes(arts, mentions, progress=False)


def test_real_ant_articles(ant_statements):
    arts, q = ant_statements
    text = arts.set_index("article_id")
    per_article = len(q) / len(arts)
    assert 2.0 < per_article < 6.0  # about 3.5 reporting verbs an article
    forms = verb_forms("extended")
    from analysis.entities.gazetteer import match_key

    for r in q.sample(400, random_state=0).itertuples():
        src = text.at[r.article_id, r.field]
        assert src[r.verb_start:r.verb_end] == r.verb
        assert match_key(r.verb).replace(" ", "") in forms
        if r.speaker_start >= 0:
            assert src[r.speaker_start:r.speaker_end] == r.speaker_text
        assert 0 <= r.quote_start <= r.quote_end <= len(src)
    kinds = q["speaker_kind"].value_counts(normalize=True)
    assert set(kinds.index) <= {"person", "office", "institution", "unnamed_source", "pronoun_or_earlier"}
    assert 0.2 < kinds["pronoun_or_earlier"] < 0.5
    # the voices of the three countries are found, by name and by title
    assert {"putin", "lavrov", "bashar_assad"} <= set(q["speaker_id"])
    assert (q["speaker_country"] == "IRN").sum() > 50


def test_name_used_alone_takes_the_country_of_its_earlier_full_mention():
    # a person the gazetteer does not know: the country comes from the first, fuller phrase
    text = ("التقى وزير الزراعة الأوكراني أندريه بيترينكو بنظرائه في المؤتمر. "
            "وقال بيترينكو إن المحصول سيرتفع هذا العام.")
    _, q = _one(text)
    row = q.iloc[-1]
    assert row.speaker_text == "بيترينكو"
    assert (row.speaker_country, row.speaker_country_basis) == ("UKR", "earlier")
    # without that earlier phrase there is no country from the name (only the article's guess)
    _, q2 = _one("وقال بيترينكو إن المحصول سيرتفع هذا العام.", context_country=False)
    assert q2.iloc[-1].speaker_country == ""


def test_a_bare_name_before_the_verb_after_a_conjunction():
    text = ("أعلن الرئيس التنفيذي للشركة، الإيطالي ماركو فيراتي، خطة جديدة. "
            "لكن فيراتي قال يوم الاثنين إنه سيؤجل المشروع.")
    _, q = _one(text)
    row = q[q.verb == "قال"].iloc[0]
    assert row.speaker_text == "فيراتي" and row.speaker_country == "ITA"
    assert text[row.quote_start:row.quote_end] == "سيؤجل المشروع"


def test_ala_lisan_names_the_speaker_for_the_state():
    text = "وأعلنت روسيا الأربعاء على لسان وزير خارجيتها سيرغي لافروف أن المحادثات ستستأنف."
    _, q = _one(text)
    row = q.iloc[0]
    assert (row.speaker_id, row.speaker_country, row.speaker_kind) == ("lavrov", "RUS", "person")
    assert row.speaker_text == "وزير خارجيتها سيرغي لافروف"


def test_headline_subject_before_a_present_tense_verb():
    arts, q = _run(["نص الخبر."], titles=["روسيا تعلن تسليم منظومة دفاع جوي إلى سوريا"])
    row = q[q.field == "title"].iloc[0]
    assert row.verb == "تعلن" and row.speaker_id == "RUS" and row.speaker_kind == "institution"
    # in the text, the same order is "is considered" unless a content opener follows
    _, q2 = _one("روسيا تعتبر قوة كبرى في المنطقة.")
    assert q2.empty


def test_media_and_companies_get_their_country_and_courts_do_not_condemn():
    _, q = _one("وقالت صحيفة دي فيلت إن الحكومة ستستقيل. وأعلنت موديز أن التصنيف سيبقى مستقرا.")
    assert q["speaker_country"].tolist() == ["DEU", "USA"]
    assert q["speaker_kind"].tolist() == ["institution", "institution"]
    _, q2 = _one("وأدانت محكمة في باريس رجلين بتهمة الاحتيال.")
    assert q2.empty


def test_a_definite_head_refers_back_to_the_organization_named_with_it():
    text = "وقال حزب الله في بيان إن الهجوم فشل. وأضاف الحزب أن مقاتليه صدوا الهجوم."
    _, q = _one(text)
    assert q["speaker_id"].tolist() == ["hezbollah", "hezbollah"]
    assert q.iloc[1].speaker_kind == "institution"


def test_an_adverb_of_manner_after_the_verb_is_not_the_speaker():
    text = "وقال لافروف إن الحوار مستمر. وأضاف ساخرا: \"لن ننتظر أحدا\"."
    _, q = _one(text)
    row = q.iloc[1]
    assert (row.speaker_id, row.speaker_kind) == ("lavrov", "pronoun_or_earlier")
    assert row.direct


def test_words_after_the_verb_that_are_no_speaker_leave_it_to_the_one_before():
    text = ("وقال لافروف إن الحوار مستمر. ومضى يقول \"لن ننتظر أحدا\". "
            "وقال ردا على سؤال للصحفيين إن الأمر انتهى. وكشف النقاب عن خطة جديدة للتسوية. "
            "وأعلن موعد الجولة المقبلة، قائلا إنها ستعقد في جنيف.")
    _, q = _one(text)
    assert q["verb"].tolist() == ["قال", "مضى", "قال", "كشف", "أعلن"]
    # يقول (goes on saying), ردا على سؤال (replying to a question), النقاب (the idiom's object) and
    # موعد (the object) are not speakers: Lavrov, named before, goes on speaking
    assert q["speaker_id"].tolist() == ["lavrov"] * 5
    assert q["speaker_kind"].tolist()[1:] == ["pronoun_or_earlier"] * 4


def test_the_topic_of_amma_speaks_and_a_person_opening_the_clause_is_the_subject():
    text = ("وقال جونسون إن الاتفاق سيئ. أما ماكرون، فقد أكد أنه اتفق مع ولي العهد السعودي على الحوار. "
            "أما بالنسبة للاقتصاد، فقد قال جونسون إن النمو ضعيف. "
            "لكن وزير الخارجية الأميركي مايك بومبيو هدد إيران، الاثنين، \"بأقوى عقوبات في التاريخ\".")
    _, q = _one(text)
    # أما X، فقد: X speaks (but not a topic that is a preposition phrase: then the speaker after the verb)
    # the country after هدد is its object, the person before it the subject
    assert q["speaker_id"].tolist() == ["boris_johnson", "macron", "boris_johnson", "pompeo"]
    assert q.iloc[3].speaker_text == "وزير الخارجية الأميركي مايك بومبيو"


def test_one_more_unnamed_speaker_and_what_a_speaker_goes_on_with():
    text = ("وقال أحد الضباط إنه خائف، بينما قال آخر إن الحبوب مفيدة. "
            "وتابع المتحدث باسم الرئاسة الروسية حديثه لافتاً إلى أنه لا يوجد أي دليل.")
    _, q = _one(text)
    assert q["speaker_text"].tolist() == ["أحد الضباط", "آخر", "المتحدث باسم الرئاسة الروسية"]
    assert q["speaker_kind"].tolist()[:2] == ["unnamed_source", "unnamed_source"]
    assert q.iloc[2].verb == "تابع"


def test_a_verb_spelled_inside_a_name_is_not_a_verb():
    # فرد (ف + رد "replied") ends the journalist's name; تكتب is the verb, with the name as its subject
    _, q = _run(["نص المقال."], titles=["كامليا انتخابي فرد تكتب لـCNN: إيران أمام مرحلة جديدة"])
    row = q[q.field == "title"]
    assert row["verb"].tolist() == ["تكتب"]
    assert row.iloc[0].speaker_id == "camelia_entekhabifard"


def test_a_quoted_nickname_heading_a_title_is_its_subject_not_a_quotation():
    _, q = _run(["نص الخبر."], titles=['"السد العالي" يعلن اعتزاله اللعب دوليا'])
    row = q[q.field == "title"].iloc[0]
    title = '"السد العالي" يعلن اعتزاله اللعب دوليا'
    assert (row.verb, row.speaker_text, bool(row.direct)) == ("يعلن", "السد العالي", False)
    assert title[row.quote_start:row.quote_end] == "اعتزاله اللعب دوليا"


def test_present_tense_statements_with_a_known_or_described_speaker():
    # VSO present with a named speaker and a nominal content
    _, q = _one("وتنفي روسيا تورطها في الهجوم.")
    assert q["speaker_id"].tolist() == ["RUS"] and q.iloc[0].verb == "تنفي"
    # a source noun right before a present-tense verb with its content right after
    _, q2 = _one("وجاء البيان إثر تقارير إعلامية تفيد بأن الوزير سيستقيل.")
    row = q2[q2.verb == "تفيد"].iloc[0]
    assert (row.speaker_text, row.speaker_kind) == ("تقارير إعلامية", "unnamed_source")
    # without the content opener, the same order is no statement
    _, q3 = _one("وجاء البيان إثر تقارير إعلامية تفيد الجميع.")
    assert (q3.verb == "تفيد").sum() == 0


def test_expressed_and_verbal_noun_objects():
    _, q = _one("التقت ماي مع ميركل في برلين، وعبرت الزعيمتان عن قلقهما من البرنامج.")
    assert q.iloc[0].verb == "عبرت" and q.iloc[0].speaker_text == "الزعيمتان"
    _, q2 = _one("عبر الحدود آلاف اللاجئين.")
    assert q2.empty  # عبر: the preposition or "crossed", not a reporting verb
    # a verbal noun after the verb opens the content; the speaker is the one before
    _, q3 = _one("وقال المتحدث باسم الشرطة إن الهجوم وقع ظهرا. وأكد سقوط العديد من الجرحى.")
    row = q3.iloc[1]
    assert row.speaker_kind == "pronoun_or_earlier" and row.speaker_text.startswith("المتحدث باسم الشرطة")


def test_quoted_names_of_bodies_and_reporters_are_the_speaker_not_the_content():
    _, q = _one('وأكدت مجموعة "بي إس إيه" الفرنسية لصناعة السيارات في بيان أنها تستعد للانسحاب.')
    row = q.iloc[0]
    assert row.speaker_text.startswith('مجموعة "بي إس إيه" الفرنسية') and row.speaker_country == "FRA"
    assert not row.direct and q.iloc[0].quote_start > row.speaker_end
    # a reporter of a medium: an unnamed source of the medium's country, even when a place follows
    _, q2 = _one('وقال مراسل "سكاي نيوز عربية" في اليمن إن القوات تقدمت.')
    row = q2.iloc[0]
    assert (row.speaker_kind, row.speaker_country) == ("unnamed_source", "ARE")
    # a definite head with a short quotation and nothing opening after it: the quotation is the content
    _, q3 = _one('وقالت الشركة "نحن سعداء بالنتائج".')
    assert q3.iloc[0].direct and q3.iloc[0].speaker_text == "الشركة"


def test_country_from_a_title_right_after_a_name_or_from_a_body_after_a_preposition():
    _, q = _one("وقالت معصومة ابتكار المسؤولة الإيرانية الكبيرة أثناء زيارة لليتوانيا إن الاتفاق باق.")
    assert (q.iloc[0].speaker_country, q.iloc[0].speaker_country_basis) == ("IRN", "phrase")
    # a coordinated title is another person, not an appositive
    _, q2 = _one("وقال جون سميث والرئيس الكوري الجنوبي إن المحادثات ستستمر.", context_country=False)
    assert q2.iloc[0].speaker_country != "KOR"
    _, q3 = _one("وقال مسؤول من الوكالة الأميركية للتنمية الدولية إن المؤسسة طلبت المساعدة.")
    row = q3.iloc[0]
    assert row.speaker_text == "مسؤول من الوكالة الأميركية" and row.speaker_country_basis == "phrase"


def test_subjects_after_anna_illa_anna_and_a_fronted_appositive():
    _, q = _one('ويذكر ان وزارة الخارجية الروسية قالت، الثلاثاء، إن "بضع عشرات" من الروس أصيبوا.')
    assert q["speaker_id"].tolist() == ["russian_mfa"]  # the ministry, not the country in its name
    # but a verb after أن inside another statement's content is no statement of its own
    _, q2 = _one('وقال ماتيس إنه "نما إلى علمه" أن موسكو أقرت بضلوع متعاقدين.')
    assert q2["verb"].tolist() == ["قال"]
    _, q3 = _one("كان الفنان المصري حسين فهمي مرشحا. إلا أن فهمي أعلن اعتذاره عن المنصب.")
    assert (q3.iloc[-1].speaker_text, q3.iloc[-1].speaker_country) == ("فهمي", "EGY")
    _, q4 = _one('جون بولتون، المستشار في "معهد الدراسات"، قال إنه قابل الوفد.')
    assert q4.iloc[0].speaker_text == "جون بولتون" and q4.iloc[0].speaker_kind == "person"
    # without the appositive's commas, the words before are no subject
    _, q5 = _one("بعد لقاء طويل مع الوفد قال إنه متفائل.")
    assert q5.iloc[0].speaker_kind == "pronoun_or_earlier"


def test_pronoun_carrying_but_and_means_of_saying():
    _, q = _one("وتحدث الكاتب عن الإسلام السياسي، لكنه يوضح أن ما يعتبره إسلاما سياسيا هو السلفيات.")
    assert (q.verb == "يوضح").sum() == 1
    _, q2 = _one('وأشاد وزير الخارجية الإيراني محمد جواد ظريف بالقرار. كما أوضح بتغريدة له عبر حسابه على "تويتر" أن المحكمة أمرت بذلك.')
    row = q2[q2.verb == "أوضح"].iloc[0]
    assert row.speaker_kind == "pronoun_or_earlier" and row.speaker_id == "zarif"
    _, q3 = _one('وقال الطفل إنهم أقوياء. وأضاف ممازحا: "المعلم لا يكلفنا بالكثير".')
    assert q3.iloc[1].speaker_kind == "pronoun_or_earlier" and q3.iloc[1].direct


def test_holder_after_an_office_adjuncts_before_qad_and_wa_huwa_demonyms():
    _, q = _one("وتحدث ماكرون عن الاتفاق. لكن ولي العهد السعودي الأمير محمد قال إن إيران لا تخدم مصالح شعبها.")
    row = q[q.verb == "قال"].iloc[0]
    assert (row.speaker_id, row.speaker_text) == ("mohammed_bin_salman", "ولي العهد السعودي الأمير محمد")
    _, q2 = _one('وقتل جندي. وكانت المصادر في البداية قد قالت إن "خمسة جنود" قد قتلوا.')
    assert (q2.iloc[0].speaker_text, q2.iloc[0].speaker_kind) == ("المصادر", "unnamed_source")
    _, q3 = _one("وقال رضوان لقديم وهو فرنسي من أصل مغربي، إنه نفذ الهجوم.")
    assert (q3.iloc[0].speaker_country, q3.iloc[0].speaker_country_basis) == ("FRA", "phrase")


def test_time_words_pronoun_prepositions_and_players_around_the_speaker():
    _, q = _one("وقالت الأمم المتحدة العام الماضي إن الوضع خطير. وأعرب عنه الرئيس دونالد ترامب مرارا عن رغبته في الانسحاب.")
    assert q["speaker_text"].tolist() == ["الأمم المتحدة", "الرئيس دونالد ترامب"]
    assert q["speaker_id"].tolist() == ["un", "trump"]
    _, q2 = _one("اعتبر مهاجم المنتخب البرتغالي لكرة القدم، كريستيانو رونالدو، أن الفوز مهم.")
    assert q2.iloc[0].speaker_country == "PRT" and q2.iloc[0].speaker_kind == "person"
    _, q3 = _one("يرى ديان لوفرين مدافع ليفربول أن زميله سيكون بين أفضل اللاعبين.")
    assert q3.iloc[0].speaker_text == "ديان لوفرين"
    _, q4 = _one("واستطرد إبراهيموفيتش بالحديث عن منتخبه السويد: أعتقد أنه قوي.")
    assert q4.iloc[0].speaker_text == "إبراهيموفيتش"


def test_addressee_then_quotation_envoys_owners_and_bare_surnames():
    # a whole addressee, then the quotation: the content (a quoted name follows only ل or a medium)
    _, q = _one('وقال وزير الدفاع إن الهجوم فشل. وأضاف للصحفيين "أي هجوم هو عمل مرفوض بالنسبة لنا".')
    assert q["verb"].tolist() == ["قال", "أضاف"] and bool(q.iloc[1].direct)
    # the envoy of the president is not the president; his name after the comma is the speaker
    _, q2 = _one("وقال المبعوث الخاص للرئيس الروسي إلى سوريا، ألكسندر لافرينتييف، إن الاجتماع مهم.")
    assert (q2.iloc[0].speaker_id, q2.iloc[0].speaker_kind) == ("lavrentiev", "person")
    _, q3 = _one("وقال المستشار الإعلامي للرئيس السوري إن الاجتماع مهم.")
    assert (q3.iloc[0].speaker_id, q3.iloc[0].speaker_country, q3.iloc[0].speaker_kind) == ("", "SYR", "office")
    # a bare surname of one gazetteer person, alone as the speaker, is that person
    _, q4 = _one("وقال كلوب إن الفريق قوي. وقالت نويرت إن الاتفاق سيئ.")
    assert q4["speaker_id"].tolist() == ["klopp", "heather_nauert"]
    assert q4["speaker_country"].tolist() == ["DEU", "USA"]


def test_object_pronoun_verbs_loyal_to_and_verbal_nouns_of_saying():
    _, q = _one("وهي التهم التي نفاها المتهمون. وقاطعت بريطانيا المؤتمر، ووصفه مسؤول بريطاني بأنه \"حيلة مقيتة\".")
    assert q["verb"].tolist() == ["نفاها", "وصفه"]
    assert q["speaker_text"].tolist() == ["المتهمون", "مسؤول بريطاني"]
    _, q2 = _one("وأكد أدرعي أن الإرهاب، بحسب وصفه، يهدد الجميع.")
    assert q2["verb"].tolist() == ["أكد"]  # بحسب وصفه: a verbal noun, no statement
    _, q3 = _one("وقال زعيم الميليشيات الموالية لإيران إن الحرب مستمرة في اليمن.")
    assert q3.iloc[0].speaker_country_basis != "phrase"  # loyal to Iran is not Iranian
    _, q4 = _one("ونقل التلفزيون الإيراني، عن رئيس لجنة الأمن القومي علاء الدين بروجردي تأكيده أن الطائرة سقطت.")
    assert q4.iloc[0].speaker_text == "رئيس لجنة الأمن القومي علاء الدين بروجردي"
    assert q4.iloc[0].speaker_country == "IRN"


def test_the_accused_after_ittahama_and_a_medium_in_an_appositive():
    _, q = _one("وتنفي موسكو أي تورط لها في الاعتداء ضد سكريبال وتتهم بريطانيا بشن حملة ضدها.")
    assert q["verb"].tolist() == ["تنفي", "تتهم"]
    assert q["speaker_id"].tolist() == ["moscow", "moscow"]  # Britain is the accused, not the accuser
    _, q2 = _one("واتهمت بريطانيا روسيا بالوقوف وراء الهجوم.")
    assert q2.iloc[0].speaker_id == "GBR"
    _, q3 = _one("وقال فريد زكريا، المحلل السياسي ومقدم برنامج على شبكة سي إن إن، إن ترامب مخطئ.")
    assert (q3.iloc[0].speaker_country, q3.iloc[0].speaker_country_basis) == ("USA", "phrase")
    # a medium in the content or an addressee is not the appositive's
    _, q4 = _one("وقال أيوب قاسم المتحدث باسم القوات البحرية لرويترز إن خفر السواحل انتشل المهاجرين، مشيرا إلى أنهم كثر.")
    assert q4.iloc[0].speaker_country != "GBR"


def test_kana_subjects_latin_addressees_manner_participles_and_but_that():
    # كان + subject + a past verb without قد: the subject speaks, the noun after the verb is its object
    _, q = _one('وكان رئيس الحكومة الإسرائيلية بنيامين نتانياهو اتهم إيران بـ"تجاوز خط أحمر" بإطلاقها صواريخ.')
    assert q.iloc[0].speaker_id == "netanyahu"
    _, q2 = _one("وعن الجماعات المسلحة التي كانت تتلقى الدعم في جنوب سوريا، قال بومبيو: \"الوضع صعب للغاية\".")
    assert q2.iloc[0].speaker_id == "pompeo"  # (كانت inside a relative clause is no subject's)
    # an addressee in Latin letters, then a colon: the quotation is the content
    _, q3 = _one('وكانت الدكتورة أماني بلور، مديرة مستشفى بالغوطة الشرقية، قالت لـCNN: "هذه أسوأ أيام حياتنا".')
    assert (q3.iloc[0].speaker_text, bool(q3.iloc[0].direct)) == ("الدكتورة أماني بلور", True)
    # a participle of manner right before the content is not the speaker
    _, q4 = _one('وقال الوزير إن الوضع صعب. وقال مذكرا: "أي نص ديني يتسم بدرجة من العنف".')
    assert (q4.iloc[1].speaker_kind, q4.iloc[1].speaker_text) == ("pronoun_or_earlier", "الوزير")  # not مذكرا
    # after a comma and غير أن, a new statement: its known subject, a verb of speech and its object
    _, q5 = _one("واتهمت بريطانيا روسيا بتسميم سكريبال، غير أن روسيا تنفي ضلوعها في الأمر وتقول إن بريطانيا مسؤولة.")
    assert q5["verb"].tolist() == ["اتهمت", "تنفي", "تقول"]
    assert q5["speaker_id"].tolist() == ["GBR", "RUS", "RUS"]
    assert q5.iloc[0].speaker_text == "بريطانيا"  # (روسيا after it is the accused)


def test_prepositional_content_days_before_the_speaker_and_the_imam():
    _, q = _one("وقال ترامب إن الاتفاق سيئ. وهدد بفرض عقوبات على إيران.")
    assert q["speaker_id"].tolist() == ["trump", "trump"]  # بفرض is the content, not a name
    assert q.iloc[1].speaker_kind == "pronoun_or_earlier"
    _, q2 = _one("أكد الاثنين الرئيس الإيراني حسن روحاني أن الولايات المتحدة ستندم.")
    assert q2.iloc[0].speaker_id == "rouhani"
    _, q3 = _one("وقال الإمام أحمد الطيب، إنه ليس على الإنس من الجن سلطان.")
    assert (q3.iloc[0].speaker_text, q3.iloc[0].speaker_kind) == ("الإمام أحمد الطيب", "person")
    _, q4 = _one('وقالت مانيغولت إنها سجلت الجلسة. وقد اتهمت البيت الأبيض بـ"الكذب".')
    assert q4.iloc[1].speaker_kind == "pronoun_or_earlier"  # the White House is the accused
    assert q4.iloc[1].speaker_text == "مانيغولت"


def test_a_described_compatriot_named_before_and_the_body_a_person_is_from():
    # a definite description of one person of a country: the person of that country named before
    _, q = _one("سجل محمد صلاح هدفين. وقال النجم المصري إن إصابته مؤلمة.")
    assert (q.iloc[0].speaker_id, q.iloc[0].speaker_kind) == ("mohamed_salah", "person")
    _, q2 = _one("وقال المسؤول الإيراني إن الوضع صعب.")
    assert q2.iloc[0].speaker_id == ""  # nobody named before: no one is guessed
    # من + a body + its demonym after a name: the person's country
    _, q3 = _one('وقال بن ستابرز من جامعة مانشستر البريطانية "لا نعلم أين ستحصل هذه الانفجارات".')
    assert (q3.iloc[0].speaker_country, q3.iloc[0].speaker_country_basis) == ("GBR", "phrase")


def test_a_country_after_a_named_speaker_is_the_object_and_msf_is_swiss():
    _, q = _one("إذ اتهم وزير الداخلية ساجد جاويد موسكو الخميس باستخدام غاز الأعصاب.")
    assert q.iloc[0].speaker_text == "وزير الداخلية ساجد جاويد"
    _, q2 = _one('وكتبت منظمة "أطباء بلا حدود" أن الغارات أصابت بلدة.')
    assert q2.iloc[0].speaker_country == "CHE"


def test_the_antecedent_of_a_relative_pronoun_and_the_issuer_of_a_text_speak():
    texts = [
        # the antecedent of الذي is no mention: after "according to", it is the speaker
        "وتأجل نقل الدفعة الأولى، وفق أبازيد الذي أشار إلى أن الحافلات لم تصل بعد.",
        # a mention after a preposition is still the antecedent of التي
        "وتلتزم طهران بالوكالة الدولية للطاقة الذرية، التي قالت مرة أخرى إن إيران تحترم التزاماتها.",
        # the issuer of the text the verb speaks in: its subject, not the object after فيه
        "وأصدرت شركة الطيران بيانا اعتذرت فيه لزبائنها عن التأخير.",
        "صدر بيان عن الجيش التركي الثلاثاء قال فيه إنه يفرض طوقا على المدينة.",
        "وألقت إسرائيل منشورات على المناطق الحدودية دعت فيها سكان القطاع إلى الابتعاد.",
        # the issuing verb without a subject of its own: the speaker before issued it (not the object after فيها)
        "وقالت إسرائيل إنها ستتحرك. وألقت منشورات على المناطق الحدودية دعت فيها سكان القطاع إلى الابتعاد.",
    ]
    q, by = _first_rows(texts)
    assert (by["a0"].verb, by["a0"].speaker_text, by["a0"].speaker_kind) == ("أشار", "أبازيد", "person")
    assert (by["a1"].verb, by["a1"].speaker_id, by["a1"].speaker_kind) == ("قالت", "iaea", "institution")
    assert (by["a2"].speaker_text, by["a2"].speaker_kind) == ("شركة الطيران", "institution")
    assert by["a3"].speaker_text == "الجيش التركي" and by["a3"].speaker_country == "TUR"
    assert (by["a4"].verb, by["a4"].speaker_id, by["a4"].speaker_country) == ("دعت", "ISR", "ISR")
    called = q[q.article_id == "a5"].iloc[-1]
    assert (called.verb, called.speaker_id, called.speaker_kind) == ("دعت", "ISR", "pronoun_or_earlier")


def test_fi_hin_adjuncts_before_a_prepositional_content_and_un_envoys_have_no_country():
    texts = [
        # في حين: a contrast opens a statement of its own, not part of the content before it
        "وقالت روسيا إن القرار أصابها بإحباط، في حين أعربت الصين عن أسفها.",
        # the content after an adjunct, with ب as a proclitic
        "وأقر ترامب في تغريدة على تويتر بوجود حملة للتأثير على الانتخابات.",
        # the UN envoy to Syria (الموفد as well as المبعوث) speaks for no country, nor does his name later
        "قال الموفد الدولي إلى سوريا ستافان دي ميستورا إن الوضع خطير. وأضاف دي ميستورا أن الحل سياسي.",
        "وقال المبعوث الأمريكي إلى سوريا جيمس جيفري إن الوضع خطير.",
    ]
    _, q = _run(texts)
    got = {a: g[["verb", "speaker_id", "speaker_country"]].values.tolist() for a, g in q.groupby("article_id")}
    assert got["a0"] == [["قالت", "RUS", "RUS"], ["أعربت", "CHN", "CHN"]]
    assert got["a1"] == [["أقر", "trump", "USA"]]
    assert got["a2"] == [["قال", "de_mistura", ""], ["أضاف", "de_mistura", ""]]
    assert got["a3"] == [["قال", "jim_jeffrey", "USA"]]  # sent to Syria, from the United States


def test_an_aside_naming_the_channel_and_the_seat_of_a_body_that_issued_a_text():
    texts = [
        # the aside between the speaker and the colon is the channel, not a statement of its own
        'وأضاف بوزينسكي، حسبما نقلت عنه الصحيفة: "ستكون حربا حقيقية".',
        # (، كما تؤكد: "also" opens a statement of its own)
        "ونفت دمشق استخدام الأسلحة الكيميائية، كما تؤكد أنها سلمت مخزونها.",
        # the body that issued the report speaks in it, with the country of its seat (not the article's)
        "نشرت منظمة العفو الدولية الاثنين تقريرا اتهمت فيه السلطات في ميانمار بمحو الأدلة.",
    ]
    _, q = _run(texts)
    got = {a: g[["verb", "speaker_text", "speaker_country"]].values.tolist() for a, g in q.groupby("article_id")}
    assert got["a0"] == [["أضاف", "بوزينسكي", ""]]
    assert q[q.article_id == "a0"].iloc[0]["direct"]
    assert [v for v, _, _ in got["a1"]] == ["نفت", "تؤكد"]
    assert got["a2"] == [["اتهمت", "منظمة العفو الدولية", "GBR"]]


def test_surnames_used_before_plural_people_with_an_adjective_and_a_country_takes_no_genitive():
    texts = [
        # a surname after the verb, with its object: the goalkeeper named in full before
        "وبدأ الحارس العماني علي الحبسي التدريب. وأبدى الحبسي سعادته بالمشاركة.",
        # (a word used before after a preposition is no surname: المرأة is the object)
        "وقال إن الحجاب لصون المرأة. وأكد خامنئي ذلك، بينما وصف المرأة الغربية بأنها نموذج منحرف.",
        # people with an adjective that agrees
        "ويرى المستثمرون القلقون من التضخم أن الفائدة مرتفعة.",
        # a country's name takes no genitive: the word after it is the object
        "وأعلنت واشنطن الانسحاب من الاتفاق النووي.",
        # a quoted word closing before a comma is the content, not a name
        'واعتبرت دمشق الاتهامات "فبركات"، وقالت إنها لم تستخدم أي سلاح.',
        # a definite title takes no genitive either (but its adjectives follow it)
        "ووصف الرئيس الاتفاق بأنه تاريخي. وقال الرئيس التنفيذي إن الأرباح ارتفعت.",
    ]
    q, first = _first_rows(texts)
    assert (first["a0"].verb, first["a0"].speaker_text, first["a0"].speaker_kind) == ("أبدى", "الحبسي", "person")
    assert first["a0"].speaker_country == "OMN"
    assert "المرأة" not in q[q.article_id == "a1"].speaker_text.tolist()
    assert (first["a2"].speaker_text, first["a2"].speaker_kind) == ("المستثمرون القلقون", "unnamed_source")
    assert (first["a3"].speaker_text, first["a3"].speaker_id) == ("واشنطن", "washington")
    assert first["a4"].verb == "اعتبرت" and first["a4"].speaker_text == "دمشق" and first["a4"].direct
    assert q[q.article_id == "a5"].speaker_text.tolist() == ["الرئيس", "الرئيس التنفيذي"]


def test_after_baadama_and_baad_an_the_person_named_before_speaks():
    q, first = _first_rows([
        "وفاجأ عمرو دياب جمهوره، بعدما أعلن عن عودة تعاونه مع الشاعري.",
        "وغادر بوتين القاعة بعد أن قال إن الاجتماع انتهى.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_id, first["a0"].speaker_country) == ("أعلن", "amr_diab", "EGY")
    assert (first["a1"].verb, first["a1"].speaker_id) == ("قال", "putin")


def test_a_plural_verb_before_a_noun_takes_it_as_its_object_not_its_subject():
    q, first = _first_rows([
        # a verb before its subject is singular: after طالبوا the government is the one asked
        "وعقد علماء باكستان مؤتمرا. وطالبوا الحكومة الإيرانية بمراجعة قرارها.",
        # (the singular verb takes it as the subject)
        "وطالبت الحكومة الإيرانية بمراجعة القرار.",
    ])
    assert first["a0"].verb == "طالبوا" and first["a0"].speaker_kind == "pronoun_or_earlier"
    assert first["a0"].speaker_text != "الحكومة الإيرانية"
    assert (first["a1"].speaker_text, first["a1"].speaker_kind) == ("الحكومة الإيرانية", "institution")


def test_radda_qailan_and_warada_fi_a_document():
    q, first = _first_rows([
        'وسئل الأب عن قاتل ابنه. رد قائلا "لا أستطيع أن أتخيل ذلك".',
        "وأصدرت الوزارة بيانا. ورد في البيان أن القوات تقدمت.",
        "ورد في الطريق حادث مروري.",  # came / happened: no statement
    ])
    assert first["a0"].verb == "رد" and first["a0"].direct
    assert (first["a1"].verb, first["a1"].speaker_text, first["a1"].speaker_kind) == ("رد", "البيان", "institution")
    assert "a2" not in first


def test_family_names_with_al_and_the_coalition_spokesman():
    q, first = _first_rows([
        # آل is "the house of": آل الشيخ is the surname (not the title الشيخ), named in full before
        "وعد تركي آل الشيخ رئيس الهيئة العامة للرياضة بموسم مختلف. وكتب آل الشيخ عبر حسابه: الموسم سيتغير.",
        "التقى تميم بن حمد آل ثاني بالوفد. وقال آل ثاني إن العلاقات قوية.",
        "وقال المتحدث باسم التحالف إن الدفاعات الجوية اعترضت الصاروخ.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_text, first["a0"].speaker_id) == ("كتب", "آل الشيخ", "turki_alsheikh")
    assert (first["a1"].speaker_text, first["a1"].speaker_id) == ("آل ثاني", "tamim")
    assert (first["a2"].speaker_id, first["a2"].speaker_kind) == ("turki_almaliki", "office")


def test_kama_and_kadhalik_before_a_past_verb_open_a_nominal_content_like_wa():
    _, q = _one("وقالت الجمعية إن النتائج أولية. كما نفت وجود تباين بين الفريقين. "
                "كذلك أكدت الجمعية إنشاء ثلاثة مراكز جديدة.")
    assert q["verb"].tolist() == ["قالت", "نفت", "أكدت"]
    assert q.iloc[1].speaker_kind == "pronoun_or_earlier" and q.iloc[2].speaker_text == "الجمعية"


def test_a_subheading_line_in_the_text_reads_like_a_title():
    q, first = _first_rows([
        "قصفت الطائرات مواقع في المدينة.\nالرئيس الأمريكي يعلن انطلاق العملية العسكرية\nوبدأت الضربات فجرا.",
        "جرت الانتخابات أمس.\nللمزيد: اللجنة العليا للانتخابات تعلن فوز أردوغان بالرئاسة\nوصرح إينجه في مؤتمر صحفي.",
        # (a line that ends with a terminator is an ordinary sentence: the present verb has no speaker)
        "جرت الانتخابات أمس.\nتقارير كثيرة تعلن فوز المرشح.\nوبدأت الاحتفالات.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_id, first["a0"].speaker_kind) == ("يعلن", "trump", "office")
    assert (first["a1"].verb, first["a1"].speaker_text) == ("تعلن", "اللجنة العليا للانتخابات")
    assert "a2" not in first


def test_naql_with_a_long_channel_ala_lisan_and_qawluhu():
    q, first = _first_rows([
        # the channel's name runs on before عن
        "ونقل الموقع الرسمي لوزارة النفط الإيرانية عن وزير النفط بيغن زنغنه قوله إن الأسعار سترتفع.",
        # على لسان names the source as عن does
        'ونقلت وكالة أنباء الأناضول التركية الرسمية على لسان أردوغان قوله: "أنت إرهابي".',
        # قوله without a source: his words, the speaker named before
        'والتقى بوتين الوفد. فيما نقلت وكالات الأنباء الروسية قوله في تصريحات "نحن نتصدى لمحاولات من الخارج".',
        # (نقل عن طريق: carried by way of, not a statement)
        "ونقل الجيش المعدات الثقيلة إلى الحدود عن طريق البحر.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_id) == ("نقل", "zanganeh")
    assert (first["a1"].speaker_id, first["a1"].direct) == ("erdogan", True)
    a2 = q[q.article_id == "a2"]
    assert a2.verb.tolist() == ["نقلت"] and a2.iloc[0].speaker_kind == "pronoun_or_earlier"
    assert "a3" not in first


def test_a_noun_phrase_opening_its_clause_is_the_subject_of_a_past_verb():
    q, first = _first_rows([
        "تراجع الرئيس عن تأييده للبيان. صحيفة العربي الجديد كتبت على صفحتها الأولى اليوم إن الرئيس فجر القمة.",
        "وأعلنت الحكومة خطة جديدة، لكن محامي الشركة قال الثلاثاء إن الخطة غير قانونية.",
        "وقاطع الرئيس الاجتماع. ولذا قال سبعة في المئة فقط من المشاركين إنهم راضون.",
        # (a carrier: the text's issuer speaks, not the text)
        "وانتقد ترامب وزيره علنا بنشر تغريدة قال فيها إنه يهدر وقته.",
    ])
    assert (first["a0"].speaker_text, first["a0"].speaker_kind) == ("صحيفة العربي الجديد", "institution")
    a1 = q[q.article_id == "a1"]
    assert a1.speaker_text.tolist()[-1] == "محامي الشركة"
    assert "ولذا" not in q.speaker_text.tolist()
    assert "تغريدة" not in q[q.article_id == "a3"].speaker_text.tolist()


def test_a_national_coach_speaks_for_the_teams_country():
    q, first = _first_rows([
        "أكد الأرجنتيني هكتور كوبر، مدرب المنتخب المصري، أن الفريق جاهز. وقال كوبر إن صلاح سيلعب.",
        # (a national team in the content is not the speaker's)
        "وطالب الرجوب الفلسطينيين بإحراق قميص نجم المنتخب الأرجنتيني ميسي.",
    ])
    assert q[q.article_id == "a0"].speaker_country.tolist() == ["EGY", "EGY"]
    assert first["a1"].speaker_country != "ARG"


def test_addressee_after_the_speaker_is_not_part_of_it():
    # ل + a medium (or journalists) after a named speaker, an unnamed source or a title with its
    # complement is whom it was said to; its demonym gives no country
    q, first = _first_rows([
        "وقال وزير الثقافة المحلي ستيف إيوريندي لوكالة الأنباء الفرنسية إن الاختيار مفاجأة رائعة.",
        "وقالت مصادر عسكرية لقناة العربية إن الجيش تقدم في المديرية.",
        "وقال ديفيس لصحافيين إن الاتفاق قريب جدا.",
        "وقال متحدث باسم الشرطة لوكالة فرانس برس إن التحقيق مستمر.",
        # a bare title takes ل as its genitive, and reports are of the media
        "وقال المدير العام لقناة الجزيرة إن البث مستمر.",
        "وذكرت تقارير لوسائل إعلام بريطانية أن الاتفاق قريب.",
    ], context_country=False)
    assert first["a0"].speaker_text == "وزير الثقافة المحلي ستيف إيوريندي"
    assert first["a0"].speaker_country == ""  # not FRA, the addressee's
    assert first["a1"].speaker_text == "مصادر عسكرية"
    assert first["a2"].speaker_text == "ديفيس"
    assert first["a3"].speaker_text == "متحدث باسم الشرطة"
    assert first["a4"].speaker_text == "المدير العام لقناة الجزيرة"
    assert first["a5"].speaker_text == "تقارير لوسائل إعلام بريطانية"
    assert first["a5"].speaker_country == "GBR"
    for a in ("a0", "a1", "a2", "a3"):
        assert first[a].quote_end > first[a].quote_start


def test_a_participle_of_saying_after_the_verb_is_no_speaker():
    # وأضاف مؤكدا X / وقال مخاطبا الحضور: how and to whom it was said; the speaker is the one before
    q, _ = _first_rows([
        "قال المدرب إن الفريق جاهز. وأضاف مؤكدا انضمام غريزمان لبرشلونة: إنه لن يأتي لينزع أحدا من مكانه.",
        "قال الرئيس إن الوضع صعب. وقال مخاطبا الحضور في القاعة إن البلاد تمر بمرحلة دقيقة.",
        "وقال وزير الخارجية الروسي سيرغي لافروف متحدثا للصحفيين إن البلاد تمر بمرحلة دقيقة.",
        # a feminine form can be a noun: the spokeswoman speaks
        "وقالت متحدثة باسم الجامعة إن الدراسة مستمرة.",
    ])
    a0, a1 = q[q.article_id == "a0"].iloc[1], q[q.article_id == "a1"].iloc[1]
    assert (a0.speaker_text, a0.speaker_kind, a0.speaker_id) == ("المدرب", "pronoun_or_earlier", "")
    assert (a1.speaker_text, a1.speaker_kind) == ("الرئيس", "pronoun_or_earlier")
    a2 = q[q.article_id == "a2"].iloc[0]
    assert (a2.speaker_text, a2.speaker_id) == ("وزير الخارجية الروسي سيرغي لافروف", "lavrov")
    assert q[q.article_id == "a3"].iloc[0].speaker_text == "متحدثة باسم الجامعة"


def test_two_words_of_the_day_bou_names_and_expressed_objects():
    q, first = _first_rows([
        # اليوم / مساء + a weekday after the verb: the speaker follows them
        "تحدث رؤساء الشركات عن إيران. وأعلنت اليوم الخميس شركة ميرسك تانكرز الدنماركية أنها ستنسحب.",
        "وقال مساء الاثنين الرئيس الإيراني حسن روحاني إن بلاده لن تتراجع.",
        # a Maghrebi name in ة after ب is a name; ب + a noun + the pronoun (بوصفه) is not
        "وقال بودربالة إن المنتخب قوي.",
        "قال المدرب إن الفريق جاهز. وقال بوصفه رئيسا للجنة إن الوضع صعب.",
        # what is expressed is not part of the name
        "وأبدى بودربالة ثقته في المنتخب المغربي.",
        # a one-word surname with the article, before what he went on with
        "قال المدرب إن الفريق جاهز. وتابع الظاهري حديثه قائلا إن الحكم أخطأ.",
    ])
    assert q[q.article_id == "a0"].iloc[-1].speaker_text == "شركة ميرسك تانكرز الدنماركية"
    assert q[q.article_id == "a0"].iloc[-1].speaker_country == "DNK"
    assert (first["a1"].speaker_id, first["a1"].speaker_kind) == ("rouhani", "person")
    assert (first["a2"].speaker_text, first["a2"].speaker_kind) == ("بودربالة", "person")
    assert q[q.article_id == "a3"].iloc[-1].speaker_kind == "pronoun_or_earlier"
    assert first["a4"].speaker_text == "بودربالة"
    last = q[q.article_id == "a5"].iloc[-1]
    assert (last.speaker_text, last.speaker_kind) == ("الظاهري", "person")


def test_kroos_and_ross_are_not_the_russians():
    # كروس is Kroos (or Cross); ك + روس would be كالروس
    arts = pd.DataFrame({"article_id": ["a0"], "title": [""], "published": DATE,
                         "text": ["سجل توني كروس هدفا، وقال كروس إن الفريق جيد، بينما قاتل جنود روس كالروس."]})
    m = analysis.extract_mentions(articles=arts, progress=False)
    rus = m[m.entity_id == "RUS"].surface.tolist()
    assert rus == ["روس", "الروس"]
    assert "toni_kroos" in m.entity_id.tolist()
    q = extract_quotes(arts, m, progress=False)
    assert q.iloc[0].speaker_country == "DEU"
    # the surname روس of Americans is not RUS either
    arts = pd.DataFrame({"article_id": ["a0"], "title": [""], "published": DATE,
                         "text": ["وقال وزير التجارة الأمريكي ويلبور روس إن الرسوم ستفرض، وقال دنيس روس إنه قابله."]})
    m = analysis.extract_mentions(articles=arts, progress=False)
    assert "RUS" not in m.entity_id.tolist()
    q = extract_quotes(arts, m, progress=False)
    assert q.speaker_id.tolist() == ["wilbur_ross", "dennis_ross"]
    assert q.speaker_country.tolist() == ["USA", "USA"]


def test_spokespeople_titles_resolve_to_the_holder_of_the_day():
    q, first = _first_rows([
        "وقال المتحدث باسم الكرملين إن موسكو لن ترد.",
        "وقالت المتحدثة باسم الخارجية الروسية إن موسكو لن ترد.",
        "وقال المتحدث باسم وزارة الخارجية الإيرانية إن طهران لن ترد.",
        "وقالت المتحدثة باسم وزارة الخارجية الأمريكية إن واشنطن سترد.",
        # the ministry's adjective on the minister's title
        "وقال وزير الخارجية الإيرانية إن طهران لن ترد.",
        # a spokeswoman's office: its male title is a deputy's, not hers
        "وقال المتحدث باسم الخارجية الأمريكية إن واشنطن سترد.",
    ])
    assert [first[f"a{i}"].speaker_id for i in range(6)] == [
        "peskov", "zakharova", "bahram_qasemi", "heather_nauert", "zarif", ""]
    assert first["a5"].speaker_country == "USA"


def test_the_subject_of_the_verb_opening_the_sentence_speaks_on():
    q, first = _first_rows([
        # a demonym phrase, after a lead ending in a comma; the statement before is someone else's
        "وقال مسؤول إسرائيلي إن الحدود مغلقة. وفي المقابل، رد المندوب الروسي على الاتهامات، وقال إن بلاده لا تتدخل.",
        # a body with an object after it, then a feminine participle
        "وقال مدرب الفريق إن اللاعب مصاب. ونشرت الشرطة المحلية صورة للمشتبه به قائلة إنه خطير.",
        # a bare surname, confirmed by the full mention before
        "وقال المخرج الفرنسي روبير لوران إن الفيلم جاهز. وقال المنتج إن العرض قريب. "
        "وحرص لوران على شكر الممثلين قائلا إنهم رائعون.",
        # no subject after the opening word: the speaker before goes on
        "وقال الوزير الأردني إن الخطة جاهزة. وفي مايو أعلن أنه سيستقيل.",
        # an object, not a speaker, after the opening verb
        "وقال الوزير الأردني إن الخطة جاهزة. واعتبر القرار خاطئا وقال إنه سيطعن فيه.",
    ])
    last = {a: g.iloc[-1] for a, g in q.groupby("article_id")}
    assert (last["a0"].speaker_text, last["a0"].speaker_country) == ("المندوب الروسي", "RUS")
    assert last["a0"].speaker_kind != "pronoun_or_earlier"
    assert (last["a1"].speaker_text, last["a1"].speaker_kind) == ("الشرطة المحلية", "institution")
    assert (last["a2"].speaker_text, last["a2"].speaker_country) == ("لوران", "FRA")
    for a in ("a3", "a4"):
        assert (last[a].speaker_text, last[a].speaker_kind) == ("الوزير الأردني", "pronoun_or_earlier")


def test_a_speaker_phrase_ends_before_its_object():
    q, first = _first_rows([
        # a definite noun after the adjective is the verb's object
        "واقتادت البحرية الإسرائيلية السفينة إلى الميناء، وقالت إن الركاب بخير.",
        "وأعلنت الحكومة الأردنية القبض على خلية إرهابية.",
        # but a first name in ال after the demonym, and an adjective of renown, belong to the speaker
        "وقال وزير الصحة الأمريكي أليكس أزار إن البرنامج مستمر.",
        "وقال رجل الأعمال البريطاني الشهير ريتشارد برانسون إن الرحلة قريبة.",
        # ب / ل + a demonstrative is no part of a name
        "وقال وزير الخارجية الفرنسي جان إيف لودريان إن الحل سياسي. وقال لودريان بهذا الصدد إن المفاوضات مستمرة.",
    ])
    last = {a: g.iloc[-1] for a, g in q.groupby("article_id")}
    assert last["a0"].speaker_text == "البحرية الإسرائيلية"
    assert first["a1"].speaker_text == "الحكومة الأردنية"
    assert first["a2"].speaker_text == "وزير الصحة الأمريكي أليكس أزار"
    assert first["a3"].speaker_text == "رجل الأعمال البريطاني الشهير ريتشارد برانسون"
    assert (last["a4"].speaker_text, last["a4"].speaker_id) == ("لودريان", "le_drian")


def test_wishes_and_intentions_are_not_part_of_a_name():
    q, first = _first_rows([
        "وأبدى المهاجم رامي كريم رغبته في البقاء بالنادي.",
        "وأعلن الوزير سامي فؤاد نيته الترشح للانتخابات.",
        "وأبدى المدرب الفرنسي استعداده للتعاون مع الاتحاد.",
    ])
    assert first["a0"].speaker_text == "المهاجم رامي كريم"
    assert first["a1"].speaker_text == "الوزير سامي فؤاد"
    assert (first["a2"].speaker_text, first["a2"].speaker_country) == ("المدرب الفرنسي", "FRA")


def test_what_is_described_is_not_the_speaker():
    q, first = _first_rows([
        "قال الطبيب السوري إن الحالة مستقرة. ووصف الأطباء جروحه بأنها متوسطة.",
        "قال الوزير الأردني إن الخطة جاهزة. ووصف الاتفاق بأنه تاريخي.",
        # a person named before, then the object
        "وقالت الباحثة الأمريكية نتالي سيلفانوفيتش إن التطبيق ضعيف. ووصفت سيلفانوفيتش الثغرة بأنها خطيرة.",
        "وقال رئيس الشركة مايكل شتاينر إن التصميم جاهز. ووصف شتاينر المركبات الطائرة بأنها حل.",
        "وصف روجر فيدرر شعوره بأنه رائع.",
        # with the object as a pronoun on the verb, the name after it speaks
        "وهو القرار الذي وصفه أيوب بأنه غير صحيح.",
        # a named office ending in an adjective, then the object
        "ووصف وزير الخارجية الروسي الهجوم بأنه عدوان.",
    ])
    last = {a: g.iloc[-1] for a, g in q.groupby("article_id")}
    assert (last["a0"].speaker_text, last["a0"].speaker_kind) == ("الأطباء", "unnamed_source")
    assert (last["a1"].speaker_text, last["a1"].speaker_kind) == ("الوزير الأردني", "pronoun_or_earlier")
    assert (last["a2"].speaker_text, last["a2"].speaker_country) == ("سيلفانوفيتش", "USA")
    assert (last["a3"].speaker_text, last["a3"].speaker_kind) == ("شتاينر", "person")
    assert first["a4"].speaker_text == "روجر فيدرر"
    assert first["a5"].speaker_text == "أيوب"
    assert (first["a6"].speaker_text, first["a6"].speaker_id) == ("وزير الخارجية الروسي", "lavrov")


def test_a_bare_radda_with_a_known_speaker_is_a_reply_and_the_noun_radd_is_not():
    q, first = _first_rows([
        "رد بهرام قاسمي، المتحدث باسم وزارة الخارجية الإيرانية، على التصريحات التي أدلى بها الوزير.",
        "في حين ردت لندن بأن المقترح الروسي محاولة لتحويل الانتباه.",
        "في المقابل، رد السفير الإماراتي أن بلاده ترفض هذه المزاعم.",
        "وجاء رد الوزير على الاتهامات سريعا.",  # the noun: "the minister's reply"
        "رد الفعل الإيراني كان قويا.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_id, first["a0"].speaker_country) == ("رد", "bahram_qasemi", "IRN")
    assert (first["a1"].verb, first["a1"].speaker_country) == ("ردت", "GBR")
    assert (first["a2"].speaker_text, first["a2"].speaker_country) == ("السفير الإماراتي", "ARE")
    assert "a3" not in first and "a4" not in first


def test_what_x_says_is_a_statement_of_its_own_even_inside_another_content():
    q, first = _first_rows([
        "وأوضحت إسرائيل أنها ستستهدف ما تقول إسرائيل إنه مصنع صواريخ أقامته إيران.",
        "نشر الجيش مقطع فيديو لعملياته ضد من قال إنهم عناصر جبهة النصرة.",
        "وصل الوفد من القاهرة. قال الوزير إن الزيارة ناجحة.",  # من + a place: "from", not "who"
    ])
    a0 = q[q.article_id == "a0"]
    assert a0.verb.tolist() == ["أوضحت", "تقول"] and a0.iloc[1].speaker_country == "ISR"
    assert first["a1"].verb == "قال" and first["a1"].speaker_kind == "pronoun_or_earlier"
    assert q[q.article_id == "a2"].verb.tolist() == ["قال"]


def test_verbs_of_mocking_ruling_out_praising_and_their_non_reporting_senses():
    q, first = _first_rows([
        "سخرت الولايات المتحدة من فيديو نشره الإعلام الإيراني.",
        "ولكنه استبعد أن يكون فريقه هو المرشح الأبرز.",
        "وأثنى الرئيس الأمريكي دونالد ترامب على نجاح عملية الإنقاذ.",
        "فيما عبرت والدته، بآتي ماليت، عن سعادتها لهذا الخبر.",
        "واستبعد المدرب اللاعب من قائمة المنتخب للمباراة المقبلة.",  # left out: no statement
        "وعبرت القوات الحدود صباح اليوم.",  # crossed
        "وشرح الأستاذ الدرس للطلاب.",  # explained a lesson: no content
    ])
    assert (first["a0"].verb, first["a0"].speaker_country) == ("سخرت", "USA")
    assert first["a1"].verb == "استبعد"
    assert (first["a2"].verb, first["a2"].speaker_id) == ("أثنى", "trump")
    assert (first["a3"].verb, first["a3"].speaker_text) == ("عبرت", "والدته")
    assert not {"a4", "a5", "a6"} & set(first)


def test_a_fronted_adverbial_before_a_present_verb_and_qad_before_a_nominal_content():
    q, first = _first_rows([
        "وفي المقابل تنفي روسيا تورطها في الهجوم.",
        "هددت الدول بمقاطعة البطولة بسبب قضية الجاسوس، الذي تنفي روسيا ضلوعها في تسميمه.",
        "وزار الحريري الرياض في نوفمبر، وقد أعلن استقالته في اليوم التالي.",
        "وأضاف الوزير أن الحكومة ستتحرك. ونفى ارتكاب أي مخالفات.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_country) == ("تنفي", "RUS")
    a1 = q[q.article_id == "a1"]
    assert "تنفي" in a1.verb.tolist() and a1[a1.verb == "تنفي"].iloc[0].speaker_country == "RUS"
    a2 = q[q.article_id == "a2"]
    assert a2.verb.tolist() == ["أعلن"] and a2.iloc[0].speaker_kind == "pronoun_or_earlier" \
        and a2.iloc[0].speaker_text != "استقالته"
    a3 = q[q.article_id == "a3"].iloc[1]
    assert (a3.verb, a3.speaker_kind) == ("نفى", "pronoun_or_earlier")


def test_polls_show_and_a_denied_that_are_not_statements_and_the_denial_with_a_content_is():
    q, first = _first_rows([
        "وتشير استطلاعات الرأي إلى أن بوتين يحظى بتأييد كبير.",
        "وتتهم السعودية إيران بدعم الحوثيين، لكن طهران تنفي ذلك.",
        "كما نفت روسيا مثل هذه المزاعم.",
        "ونفى الوزير ذلك، مؤكدا أن الحكومة لم تتدخل.",
        "ونفت روسيا أن تكون قد تدخلت في الانتخابات.",
    ])
    assert "a0" not in first and "a2" not in first
    assert q[q.article_id == "a1"].verb.tolist() == ["تتهم"]
    assert (first["a3"].verb, first["a3"].speaker_text) == ("مؤكدا", "الوزير")
    assert (first["a4"].verb, first["a4"].speaker_country) == ("نفت", "RUS")


def test_a_palace_speaks_and_went_on_with_his_talk_leaves_the_speaker_to_the_one_before():
    q, first = _first_rows([
        "وقال قصر الإليزيه، إن المستشار لم يرتكب أي مخالفات.",
        "وقال وزير الخارجية المصري إن الوضع صعب. وتابع حديثه قائلا إن الحل سياسي.",
    ])
    assert (first["a0"].speaker_text, first["a0"].speaker_id, first["a0"].speaker_kind) == (
        "قصر الإليزيه", "elysee", "institution")
    a1 = q[q.article_id == "a1"].iloc[1]
    assert (a1.verb, a1.speaker_kind, a1.speaker_country) == ("تابع", "pronoun_or_earlier", "EGY")


def test_a_text_issued_by_the_subject_speaks_through_a_present_verb_after_it():
    q, first = _first_rows([
        'ونشرت شرطة المدينة تغريدة على تويتر تقول "ليس ثمة انفجار لطرد مفخخ".',
        "وأصدر الحزب الديمقراطي بيانا يقول إن الانتخابات مزورة.",
        "وقرأ الطالب كتابا يتحدث عن التاريخ.",  # no verb of saying after the text
    ])
    assert (first["a0"].verb, first["a0"].speaker_text, first["a0"].direct) == ("تقول", "شرطة المدينة", True)
    assert (first["a1"].verb, first["a1"].speaker_kind) == ("يقول", "institution") and "الحزب" in first["a1"].speaker_text
    assert "a2" not in first


def test_wa_dhalika_and_but_with_a_pronoun_start_a_new_statement_inside_the_content_before():
    q, _ = _first_rows([
        "وقال وزير الخارجية الأردني إن الحكومة ستحترم مطالب الشعب، وذلك بعد أن قال المتظاهرون إنهم سيستمرون.",
        "وقال الخبراء إن الحوادث أمر وارد، لكنهم قالوا إن التكنولوجيا ستنقذ الأرواح.",
        "وقال الوزير إن الحكومة قالت إن الخطة ستنجح.",  # nested: the reported content
        "وقال ظريف إن واشنطن تكرر الأخطاء وذلك بعدما طالب وزير الخارجية الأميركي بتغييرات جذرية.",
    ])
    assert q[q.article_id == "a3"].verb.tolist() == ["قال", "طالب"]
    assert q[q.article_id == "a0"].verb.tolist() == ["قال", "قال"]
    assert q[q.article_id == "a0"].iloc[1].speaker_text == "المتظاهرون"
    assert q[q.article_id == "a1"].verb.tolist() == ["قال", "قالوا"]
    assert q[q.article_id == "a2"].verb.tolist() == ["قال"]


def test_blaming_verbs_are_statements_only_with_their_blame_word():
    q, first = _first_rows([
        "من جهة أخرى، حمل نائب مدير المتحف لويز دوارتي الحكومة مسؤولية الكارثة.",
        "ويذكر أن لندن تلقي باللوم على روسيا في الهجوم.",
        "حيث أنحت الحكومات الغربية باللائمة على الجيش السوري.",
        "وقال الرئيس الإيراني حسن روحاني إن بلاده لن تتراجع. وألقى باللوم على الولايات المتحدة.",
        "وحمل الجنود السلاح. وألقت الشرطة القبض على المتهم.",  # carried, arrested
        "وقال الرئيس الذي ألقى كلمة أمام البرلمان إن الوضع صعب.",  # gave a speech: the statement is قال
    ])
    assert (first["a0"].verb, first["a0"].speaker_text) == ("حمل", "نائب مدير المتحف لويز دوارتي")
    assert (first["a1"].verb, first["a1"].speaker_country) == ("تلقي", "GBR")
    assert first["a2"].verb == "أنحت"
    a3 = q[q.article_id == "a3"]
    assert a3.verb.tolist() == ["قال", "ألقى"] and a3.iloc[1].speaker_id == "rouhani"
    assert "a4" not in first
    assert q[q.article_id == "a5"].verb.tolist() == ["قال"] and first["a5"].speaker_text == "الرئيس"


def test_as_x_says_after_a_comma_and_ikhtatama_qailan():
    q, first = _first_rows([
        "ويقصف الجيش يوميا المناطق المتمردة، كما يقول المرصد السوري لحقوق الإنسان.",
        "وقال المدرب إن الفريق لعب جيدا. واختتم قائلا: أن تحظى بميسي أمر مميز.",
        "واختتم المؤتمر أعماله أمس.",  # closed its session: no statement
        "وقد فاز الفريق، كما فاز الفريق الآخر.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_text, first["a0"].speaker_country) == (
        "يقول", "المرصد السوري لحقوق الإنسان", "SYR")
    a1 = q[q.article_id == "a1"]
    assert a1.verb.tolist() == ["قال", "اختتم"] and a1.iloc[1].speaker_kind == "pronoun_or_earlier"
    assert "a2" not in first and "a3" not in first


def test_talib_al_luju_is_the_asylum_seeker_and_talaba_bil_luju_a_demand():
    q, first = _first_rows([
        "وكان طالب اللجوء الإيراني قد أصيب بحروق خطيرة ونقل إلى المستشفى.",
        "وطالب اللاجئون باللجوء في ألمانيا.",
    ])
    assert "a0" not in first and first["a1"].verb == "طالب"


def test_a_body_with_a_quoted_name_opening_the_clause_is_the_subject_but_not_of_naqala_an():
    q, first = _first_rows([
        'لكن صحيفة "لا غازيتا ديلو سبورت" قالت إن اللاعب سيوقع مع إنتر.',
        'مجلة "أتلانتيك" الأميركية، رأت أن صعوبة مهمة الأسد كبيرة.',
        'لكن صحيفة "لا برينسا" نقلت عن صحفي آخر قوله إن الشرطة كانت مسلحة.',
        'وصنفت الوزارة الدول على أنها حكومات "مدانة أخلاقيا"، قالت إنها تنتهك الحقوق.',
    ])
    assert (first["a0"].speaker_text, first["a0"].speaker_kind, first["a0"].speaker_country) == (
        'صحيفة "لا غازيتا ديلو سبورت', "institution", "ITA")
    assert (first["a1"].speaker_text, first["a1"].speaker_country) == ('مجلة "أتلانتيك" الأميركية', "USA")
    assert first["a2"].speaker_text == "صحفي"
    assert not q[q.article_id == "a3"].speaker_text.str.contains("حكومات").any()


def test_nabbaha_warned_of_or_pointed_out_and_not_tanabbaha():
    q, first = _first_rows([
        'ونبهت وزارة الثقافة اليمنية من "الآثار الكارثية" للعبث بالتراث.',
        "نبهت دراسة طبية حديثة، إلى أن مضار السمنة كثيرة.",
        "وتنبه الطيور إلى الخطر.",
    ])
    assert (first["a0"].verb, first["a0"].speaker_country) == ("نبهت", "YEM")
    assert first["a1"].verb == "نبهت" and "a2" not in first


def test_kana_subject_before_an_abbreviation_in_brackets_and_before_ablagha_with_its_addressee():
    q, first = _first_rows([
        "وكانت وكالة الأنباء الرسمية السورية (سانا) ذكرت أن الصواريخ استهدفت المطار.",
        "وكان عباس أبلغ الرئيس الروسي، فلاديمير بوتين، خلال زيارة لموسكو، بأن واشنطن لم تعد وسيطا.",
    ])
    assert (first["a0"].speaker_text, first["a0"].speaker_country) == ("وكالة الأنباء الرسمية السورية", "SYR")
    assert first["a1"].speaker_text == "عباس" and first["a1"].speaker_id != "putin"
