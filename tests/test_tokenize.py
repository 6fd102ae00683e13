"""The private jieba dictionaries: cheap to build, and never shared between tokenizers."""
from ingest.lexicon import load_lexicon
from index.tokenize import ChineseTokenizer, default_tokenizer, tokenize


def test_names_added_to_one_tokenizer_stay_out_of_another():
    lexicon = load_lexicon()
    with_names = ChineseTokenizer(lexicon, names=["泓州市民政局"])
    plain = ChineseTokenizer(lexicon)
    assert with_names.knows("泓州市民政局")
    assert not plain.knows("泓州市民政局")
    assert not default_tokenizer().knows("泓州市民政局")


def test_added_name_is_cut_whole_and_tagged_as_an_organisation():
    tokenizer = ChineseTokenizer(load_lexicon(), names=["泓州市民政局"])
    pairs = [(w.word, w.flag) for w in tokenizer.pos_cut("泓州市民政局的问题")]
    assert ("泓州市民政局", "nt") in pairs


def test_genre_words_are_kept_whole():
    lexicon = load_lexicon()
    word = next(w for w in lexicon.jieba_words if len(w) >= 4)
    assert word in ChineseTokenizer(lexicon).cut(word)


def test_part_of_speech_tags_of_the_default_dictionary_are_available():
    flags = {w.word: w.flag for w in ChineseTokenizer(load_lexicon()).pos_cut("北京的医院")}
    assert flags.get("北京") == "ns"


def test_thousands_separators_inside_numbers_are_dropped_before_matching():
    from index.tokenize import normalize

    # as the scorer does: 2,650万元 typed by a user is the report's 2650万元, and back
    assert normalize("争取资金2,650万元") == normalize("争取资金2650万元") == "争取资金2650万元"
    assert "2650" in tokenize("2，650万元")          # a full-width comma is NFKC'd first
    # not a separator: a list of small numbers, and groups that are not of three digits
    assert normalize("第1,2,3条") == "第1,2,3条"
    assert normalize("12,34") == "12,34" and normalize("1,2345") == "1,2345"
