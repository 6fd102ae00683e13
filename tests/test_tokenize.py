"""The private jieba dictionaries: cheap to build, and never shared between tokenizers."""
from ingest.lexicon import load_lexicon
from index.tokenize import ChineseTokenizer, default_tokenizer


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
