"""Question understanding: what kind of answer a question wants, and what it is about.

The vocabulary is the genre's (整改 / 反馈 / 已完成 / 正在推进 …), never a particular
report's: topics, groups and report names are matched against the loaded corpus later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from index.tokenize import default_tokenizer, normalize, tokenize
from ingest.headings import cn_to_int
from ingest.lexicon import load_lexicon
from ingest.models import Status


class Intent(str, Enum):
    LIST = "list"            # enumerate issues (by status, topic or group)
    COUNT = "count"          # count issues or groups
    HOW = "how"              # how an issue was rectified
    STATUS = "status"        # whether one issue is finished
    COMPARE = "compare"      # the same question per report, side by side
    FACT = "fact"            # a figure, date, name … from a passage


# (「“三重一大”事项」: matters of a kind the quote names, not the report's issues)
_ISSUE_NOUN = r"(?:问题|整改任务|整改事项|(?<![”\"」』’])事项|反馈意见|条目)"
_WHICH_ITEM = re.compile(r"哪(?:一)?[项条件个]")
# 「那3个违规公墓，哪个还没整完」: 哪个 picks among things counted inside an issue, not issues
_THINGS_COUNTED = re.compile(r"(?:\d+|[两三四五六七八九十])[个处家所座台辆笔][\u4e00-\u9fff]{1,6}[，,]?[^，,]{0,8}哪")
_GROUP_NOUN = r"(?:方面|大类|类|组|板块|类别|个方面|块|部分|领域)"
_COUNT = re.compile(rf"(?<![哪那这])(?:多少|几)(?:个|项|条|大)?[\u4e00-\u9fff]{{0,4}}?(?:{_ISSUE_NOUN}|{_GROUP_NOUN})|{_ISSUE_NOUN}(?:一共|总共|共)?(?:有)?(?:多少|几)|(?:数量|总数)|"
                    rf"(?<![这那个该此]){_ISSUE_NOUN}[^，,。？?]{{0,3}}(?:一共|总共|共计|合计)[^，,。？?]{{0,4}}(?:多少|几)[条个行项]?[？?]?$")
# the groups counted are the report's, not kinds of a thing named after them (几类不该发的钱):
# the group word ends the phrase or is followed by the issues or a word of the frame
_COUNT_GROUPS = re.compile(rf"(?:多少|几)(?:个)?{_GROUP_NOUN}(?=$|[，,。？?！!；;\s]|的?{_ISSUE_NOUN}|[分下里都呢吗具各来]|整改|反馈|内容)"
                           rf"|分(?:为|成)?(?:多少|几)")
# 哪几条 / 哪两条 / 哪3个: which of several (哪一 asks for one)
_WHICH_SEVERAL = r"哪(?:几|[两三四五六七八九十]|\d{1,2})"
_LIST = re.compile(r"哪些|" + _WHICH_SEVERAL + r"|列出|列举|列一下|列个|分别是|都有(?:什么|哪些|啥)|有什么|有啥|包括(?:什么|哪些)|都是什么|清单|罗列")
_HOW = re.compile(r"怎么|如何|怎样|咋|措施|举措|做法|采取了|(?:处置|处理|整改|办理)(?:情况|结果)[。？?]?$|(?:做|干|搞)了(?:些)?(?:哪些|什么|啥)|整改的[？?]?$|落实了(?:什么|哪些)|具体(?:怎么|如何)?(?:整改|改)|入手|着手|从哪")
_STATUS_OF = re.compile(
    r"(?:整改|完成|改)(?:了吗|了没|没有|好了吗|完了吗|到位了吗|完成了吗)|是否(?:已)?(?:完成|整改|到位)|"
    r"进展(?:如何|怎么样|怎样)|(?:进展|进行|推进|做)到(?:哪|了哪)(?:儿|里|一步)?|什么进度|进度(?:如何|怎么样|怎样)|(?:到|在|走到)哪一步|到什么程度|整改得(?:怎么样|如何)|(?:整改|完成)(?:情况|状态)(?:如何|怎么样)|现在(?:是)?什么状态|状态|"
    r"(?:好|完|成|完成)了没|了没有|(?:建成|建好|完成|整改完)了吗|"
    r"(?:现在|目前|如今)[\u4e00-\u9fff]{0,6}了吗"      # 「现在关掉了吗」: the state it is in now
)
_HOW_STATUS_SWALLOW = re.compile(r"怎么样|怎样了|如何了")
_COMPARE = re.compile(r"两份|两个报告|两家|两个单位|各自|对比|比较|相比|哪份|哪个报告|哪家|谁的|分别|都(?:有|涉及)")
# 第3个 / 第三个问题 / 第二条: an ordinal refers to items only when an item word or the end
# of the phrase follows it, never inside a name (第二人民医院, 第一中学)
_ORDINAL = re.compile(r"第\s*([0-9０-９]{1,3}|[一二三四五六七八九十两]{1,4})\s*(?:个|项|条|点|部分|方面|组|类|大类|件|批)|"
                      r"第\s*([0-9０-９]{1,3}|[一二三四五六七八九十两]{1,4})(?=\s*(?:[呢吗？?。，,]|是|的问题|$))")
_LABEL_REF = re.compile(r"[（(]\s*([0-9]{1,3}|[一二三四五六七八九十]{1,4})\s*[）)]")
_ANAPHORA = re.compile(r"它|这个|那个|这一|该问题|该项|这项|这条|其中|上述|上面|前面|刚才|这些|这几|那几|那些|那它|那么它|^那|"
                       r"[这那](?:两|俩|三)[个项条家处笔]?")


def has_anaphora(question: str) -> bool:
    """Whether the question points back with a pronoun (它, 这个, 上述, 那…)."""
    return bool(_ANAPHORA.search(normalize(question)))


_QUOTED = re.compile(r"[“\"「『‘']([^”\"」』’']{2,40})[”\"」』’']")

# What kind of figure a question asks for, by the word after 多少 / 几 or a cue word.
@lru_cache(maxsize=1)
def _unit_cues() -> list[tuple[re.Pattern, str]]:
    """_UNIT_CUE_LIST with the body cue built from the company endings of genre.toml:
    「承包给哪家公司」「哪所高校」 want a named body, not a figure."""
    endings = "|".join(map(re.escape, load_lexicon().institutions("company_endings")))
    body = re.compile(r"哪(?:一)?[家个所](?:" + endings + ")")
    return [(body if pattern is None else pattern, unit) for pattern, unit in _UNIT_CUE_LIST]


_UNIT_CUE_LIST: list[tuple[re.Pattern | None, str]] = [
    (re.compile(r"多少钱|金额|总额|多少万|多少元|花了|投入了?多少|多少[^，。？?]{0,8}(?:补贴|补助|资金|经费|费用|奖金|款|钱)|"
                r"(?:补贴|补助|资金|经费|费用|奖金|款|投资)[^，。？?；;]{0,6}?多少"), "money"),
    (re.compile(r"比例|占比|百分之|百分比|多少%|率[^，。？?；;]{0,8}?(?:多少|几)"), "percent"),
    (re.compile(r"文号|发文字号|发文号|文件号"), "docno"),
    (re.compile(r"电话|号码|联系方式"), "phone"),
    (None, "body"),          # built in _unit_cues from genre.toml
    (re.compile(r"叫什么名字|姓名|名字|叫什么|叫啥|名称"), "name"),      # a person's name, not a post
    (re.compile(r"是谁|谁负责|谁担任|谁当|是哪位|哪位领导"), "person"),           # a name, or the post that holds it
    (re.compile(r"第几"), "ordinal"),
    (re.compile(r"几月几[号日]|哪一?天|几号|具体日期|何日|哪日"), "day"),
    # 「谁最早收到反馈意见」「哪家先被巡察」「谁开得早」: which comes first is told by dates
    (re.compile(r"(?:谁|哪一?[家个份所位])[^，,。？?]{0,8}?(?:最早|最晚|最先|更早|更晚|先被|先收到|得早|得晚)"), "date"),
    (re.compile(r"什么时候|啥时候|多会儿|何时|哪天|哪一天|几月|哪年|哪一年|几号|日期|什么时间|啥时间|哪个月|时间是|截止到哪|期限"), "date"),
]
_UNIT_AFTER = re.compile(r"(?:多少|(?<![这那哪])几)\s*(?P<u>人次|张|次|家|个|条|件|台|项|所|名|人(?![才员])|万元|元|天|年|月|岁|场|批|本|篇|期|轮|处|间|套|辆|床|例|万|亿|倍|分|笔|份|户|宗|起|座|公里|吨|亩|平方米|户次)")

# Words that carry no topic: interrogatives, intent words, generic report vocabulary.
# Matched against whole jieba words, so "中西医" keeps its 中.
_NON_TOPIC = frozenset("""
请问 请 帮 帮我 麻烦 一下 告诉 告诉我 我 我们 你 想 知道 想知道 了解 想了解 能否 可以 能 说说 讲讲 介绍 看看 查 查一下
哪些 哪几个 哪几项 哪几条 哪几 哪个 哪家 哪份 哪一 哪 什么 啥 多少 几个 几项 几条 几类 几 个 项 条 类
怎么样 怎么 如何 怎样 咋 是否 有没有 吗 呢 吧 呀 啊 了 的 得 地 么
分别 具体 一共 总共 共 共有 都 还 仍 正 又 也 就 才 被 给 把 对 和 与 及 或 跟 同 以及
巡察组 巡察 反馈 指出 发现 存在 涉及 有关 相关 关于 方面 问题 事项 任务 整改 措施 举措 做法 情况 进展 进度
报告 通报 里面 里 中 之中 当中 这 那 这个 那个 这些 那些 其 其中 它 它们 该 上述 下面 之下 下 是 有 在 为
最早 最晚 最先 更早 更晚 打算 最后 最终 查出 查出来 名目 原来 原先
列出 列举 采取 落实 做 做了 进行 完成 到位 推进 办结 销号 没 没有 未 尚 已经 已 现在 目前 当前 状态 清单 数量 总数 第
这块 那块 一块 这方面 那方面 这一块 那边 这边 这次 此次 本次 那次 这份 那份 还有 加起来 合计 意见 分成 分了 大类 下面 底下 之下 包括 属于 入手 着手 从哪 现在 用 得 搞 弄 干 哪天 哪年 哪一年 何时 什么时候 时候 几月 几号 日期 时间 钱 多少钱 搞 两份 两个 两家 各自 对比 比较 相比 分 分为 分成 更 最 多 少
单位 哪家 几家 单独 单列 列成 列为 一个 一项 一条 这批 那批 这几份 各家
后来 然后 那么 具体地 主要 哪里 里头 一些 有些 哪方面 几个方面 后 前 上面 前面 刚才 最后 一个 两个 份 家 院里
过程 过程中 完全 全部 仍然 还是 已经 事 事情 东西 工作 巡视 督察 督查 审计 巡察组 巡视组 反馈问题 整改落实
下来 这笔 那笔 做个 汇报 汇报表 表格 目录 分栏 每栏 栏 点名 点出 被点名 几种 哪几种
别的 其他 另外
""".split())

@dataclass
class Query:
    """A question as understood."""

    text: str
    intent: Intent
    status: frozenset[Status] | None = None   # statuses a list or count asks for
    count_groups: bool = False             # "分几个方面" counts groups, not issues
    unit: str | None = None                # figure type wanted: money/percent/date/张/人 …
    topic: str = ""                        # what the question is about, scope words removed
    topic_terms: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    ordinal: int | None = None             # 第N个
    last_item: bool = False                # 最后那个 / 最后一条: the last item just listed
    purpose_terms: list[str] = field(default_factory=list)   # words only an opening purpose clause holds
    label_number: str | None = None        # （12） written in the question
    anaphora: bool = False
    fact_terms: list[str] = field(default_factory=list)   # topic words for passage search
    count_target: str = "issues"           # what a count counts: issues / tasks / measures
    wants_number: bool = False             # 多少 / 几 / 占比 …: the answer must hold a figure
    counted: str = ""                      # head noun of what is counted: 护士 in 多少名护士
    status_literal: str = ""               # a status written as the report labels it: 标着“已达到序时进度”
    status_phrases: list[str] = field(default_factory=list)   # every status phrase of the question
    wants_after: bool = False              # 提高到多少 / 现在是多少: a figure after rectification
    given_figures: frozenset[str] = frozenset()   # numbers the question itself states (那3.86万元里)
    part_terms: list[str] = field(default_factory=list)   # 那3.86万元里低保金占多少: words of the part asked of it
    money_part_terms: list[str] = field(default_factory=list)   # 补贴里低保金那块有多少: … of an amount named
    names_wanted: int = 0                  # 其余5个专业是哪几个: how many things the answer must name
    named_kind: str = ""                   # … and what they are (专业)
    figures_wanted: int = 0                # 那3个项目各自多付了多少: a figure for each of them
    years: frozenset[str] = frozenset()    # years the question names (2023年, 2024届)
    topic_marked: bool = False             # 涉及/有关/关于 … mark the topic (outside the report names)
    remainder: list[str] = field(default_factory=list)   # 剩余/其余 asked of one issue: the sentence must say it


# 「政府采购方面审计查出了什么」: what the inspection found, i.e. an issue's problem statement
_ASKS_FOUND = re.compile(r"(?:查出|查出来|发现|指出|点出|反馈|通报)了?(?:些)?(?:什么|哪些|啥)(?:问题)?[？?]?$")


def asks_found(question: str) -> bool:
    """Whether a question asks what an inspection found about something (its problem)."""
    return bool(_ASKS_FOUND.search(normalize(question)))


def asks_how(question: str) -> bool:
    """Whether a question asks how something was done (its measures)."""
    return bool(_HOW.search(_HOW_STATUS_SWALLOW.sub("", normalize(question))))


def split_compound(question: str) -> list[str]:
    """「组建了多少个小组？一共奖补了多少钱？」 -> two questions; one question stays whole."""
    for separators in (r"[？?；;]", r"[？?；;，,]"):
        # 「有几个项目多付了款，后续处理到哪一步了」: two questions joined by a comma too,
        # when every clause asks something (「哪些问题，还在整改」 is one question)
        parts = [p.strip() for p in re.split(separators, question) if p.strip()]
        if any(_ONLY_POINTS.fullmatch(p) for p in parts[1:]):
            return [question]       # 「有没有长期坚持的事？是哪一项？」 asks one thing
        asking = [p for p in parts if len(p) >= 4 and _ASKS.search(p)]
        if len(asking) >= 2 and len(asking) == len(parts):
            return asking
    return [question]


# A later part that only points at what the first asked about: no question of its own.
_ONLY_POINTS = re.compile(r"(?:那|那么)?(?:是|都是|分别是|具体是)?(?:哪一?[项个条件家份]|哪几[项个条件家]|哪些|什么|啥)(?:呢|啊)?")
_ASKS = re.compile(r"多少|(?<![那这])几|哪|什么|啥|咋|谁|何|怎|吗|如何|是否|有没有|没有[？?]?$")


def understand(question: str, scope_words: list[str] = (), reports_in_scope: int = 1,
               names_several: bool = False) -> Query:
    """Classify `question`; `scope_words` are report names already resolved (removed from the topic)."""
    q = normalize(question)
    status = _status_filter(q)
    # 「标着“已达到序时进度”的」 quotes a status, which filters; it is not a topic
    statuses = load_lexicon().status_phrase_pattern()
    quoted = [m.group(1) for m in _QUOTED.finditer(question) if not statuses.fullmatch(normalize(m.group(1)))]
    literal = _status_literal(q, statuses)
    phrases = statuses.findall(q)
    topic = _topic_text(q, scope_words)
    query = Query(
        text=question,
        intent=Intent.FACT,
        status=status,
        status_literal=literal,
        status_phrases=phrases,
        count_groups=bool(_COUNT_GROUPS.search(q)),
        unit=_unit(q),
        topic=topic,
        topic_terms=[t for t in tokenize(topic) if len(t) > 1 or t.isascii()],
        quoted=quoted,
        ordinal=_ordinal(q),
        last_item=bool(_LAST_ITEM.search(q)),
        purpose_terms=_purpose_words(q),
        label_number=_label_number(q),
        anaphora=bool(_ANAPHORA.search(q)),
        fact_terms=_fact_terms(q, scope_words),
        wants_number=bool(_WANTS_NUMBER.search(q)),
        wants_after=bool(_AFTER.search(q)) and not load_lexicon().asks_a_plan(q),
        given_figures=figures_in(q),
        part_terms=part_terms(q),
        money_part_terms=money_part_terms(q),
        names_wanted=names_wanted(q),
        named_kind=named_kind(q),
        figures_wanted=figures_wanted(q),
        years=years_in(q),
        topic_marked=bool(_TOPIC_CUE.search(_without(q, scope_words))),
        count_target=_count_target(q),
        counted=_counted_head(q) if _unit(q) not in _AMOUNTS + _CODES else "",   # 多少上级补助钱 counts no 上级
    )
    query.intent = _intent(q, query, reports_in_scope, names_several)
    if query.intent is Intent.HOW:
        # 「采取了哪些整改措施」 asks for the measures: the measure nouns frame the question,
        # every rectification holds them, and they name no issue
        frame = _how_frame_words()
        query.topic_terms = [t for t in query.topic_terms if t not in frame]
    return query


# A clause saying why the user asks (为了写汇报， / 准备去督导， / 填统计表要一个数：): it opens
# the question with a purpose and asks nothing itself
_PURPOSE = re.compile(r"^(?:为了|为|准备|打算|要给|想给|给|做|填|写|汇报|下周|明天|近期|马上要|要去|去)")


def _purpose_words(q: str) -> list[str]:
    """The words only the question's opening purpose clause holds, when a later clause asks."""
    clauses = [c for c in re.split(r"(?<=[，,：:；;])", q) if c.strip()]
    if len(clauses) < 2 or _ASKS.search(clauses[0]) or \
            not (_PURPOSE.match(clauses[0]) or clauses[0].endswith(("：", ":"))):
        return []
    rest = "".join(clauses[1:])
    return [t for t in dict.fromkeys(tokenize(clauses[0])) if t not in rest]


@lru_cache(maxsize=1)
def _how_frame_words() -> frozenset[str]:
    """The vocabulary's measure nouns (整改措施, 举措 …), cut as the question is, and 整改."""
    measures = load_lexicon().totals("measures")
    return frozenset(t for m in measures for t in tokenize(m)) | {"整改"}


_WHAT_GROUP = re.compile(r"第\s*[一二三四五六七八九十\d]{1,3}\s*个?(?:方面|部分|大类|板块|领域)(?:的?问题)?"
                         r"(?:是|指|讲|说)(?:的)?(?:什么|啥|哪)")


def _intent(q: str, query: Query, reports_in_scope: int = 1, names_several: bool = False) -> Intent:
    trailing_count = (re.search(r"[有了](?:多少|几)个?[？?]?$", q) and (query.status or re.search(_ISSUE_NOUN, q))) \
        or (query.status and re.search(r"(?<![哪那这])(?:多少|几)\s*(?:个|项|条)", q) and query.unit in (None, "个", "项", "条"))
    is_count = bool(_COUNT.search(q) or trailing_count) and query.unit in (None, "个", "项", "条")
    # 「查出的几类不该发的钱分别是什么名目」: the kinds themselves, listed
    kinds_named = bool(re.search(r"(?<![这那])几[类种]", q) and re.search(r"分别是|都是|各是", q))
    is_list = bool(_LIST.search(q)) and (bool(re.search(_ISSUE_NOUN, q)) or query.status is not None
                                         or bool(re.search(_WHICH_SEVERAL + r"[项条种类]", q)) or kinds_named)
    names_one_issue = bool(query.topic_terms or query.quoted or query.ordinal or query.label_number
                           or query.anaphora)
    if reports_in_scope > 1 and (names_several or _COMPARE.search(q)):
        return Intent.COMPARE      # 「县里和二院在集采上各被指出了什么问题」
    if _WHAT_GROUP.search(q):
        return Intent.LIST         # 「第二个方面是什么」: that group, with the issues under it
    if query.count_groups and query.unit in (None, "个", "项", "条") and not query.topic_terms[2:]:
        # 「分了哪几块」「几个方面」: the groups themselves
        return Intent.LIST if re.search(r"哪|列", q) else Intent.COUNT
    if load_lexicon().asks_why(q) and not _HOW.search(load_lexicon().without_why(q)):
        return Intent.FACT         # 「那条…的问题，为啥还没销号」 asks a reason, never a list
    if _STATUS_OF.search(q) and names_one_issue and not is_list and not is_count:
        return Intent.STATUS
    if query.count_target != "issues" and not _figure_verb().search(q):
        return Intent.COUNT        # 「确定了多少条整改措施」「有几项整改任务」
    how = bool(_HOW.search(_HOW_STATUS_SWALLOW.sub("", q)))
    asks_for_issues = bool(_FOR_ISSUES.search(q))
    if how and names_one_issue and not asks_for_issues:
        return Intent.HOW
    if how and not is_count and not is_list:
        return Intent.HOW
    if query.status is not None and _status_of_things(q):
        # 「还没处理完的违建墓地是哪一个」「尚未建成服务中心的街道还有几个」: things inside an
        # issue, by their state, named or counted
        return Intent.FACT
    if is_count and _counts_issues(q, query):
        return Intent.COUNT
    if is_list:
        return Intent.LIST
    if query.status is not None and (re.search(_ISSUE_NOUN, q) or (_WHICH_ITEM.search(q) and not _THINGS_COUNTED.search(q))) \
            and not query.unit:
        return Intent.LIST         # 「得一直抓下去的是哪一项」: the items of that status
    return Intent.FACT


def _status_of_things(q: str) -> bool:
    """A status said of things, not of issues: the status, a few words of what it is, 的
    and a noun (「还没处理完的违建墓地」「还没建成综合养老服务中心的那5个街道」). 「还没改完的问题」
    「没完成的整改任务」「还没清零的那几项」 and 「正在整改的有哪些」 ask for issues."""
    frame = _how_frame_words()
    for m in load_lexicon().status_phrase_pattern().finditer(q):
        after = _THING_AFTER_STATUS.match(q, m.end())
        noun = after.group("noun") if after else ""
        # (「仍在整改的巡察反馈问题」 names issues too: the issue word closes the noun)
        if noun and not _NO_THING.match(noun) and not any(noun.startswith(w) for w in frame) \
                and not re.match(rf"[\u4e00-\u9fff]{{0,6}}{_ISSUE_NOUN}", noun):
            return True
    return False


# after a status: the rest of its verb and object, 的, a pointer or a number of things, a noun
_THING_AFTER_STATUS = re.compile(r"[\u4e00-\u9fff]{0,12}?的(?:那|这)?(?:(?:\d+|[两二三四五六七八九十几])[\u4e00-\u9fff])?"
                                 r"(?P<noun>[\u4e00-\u9fff]{2,})")
# what follows 的 without naming a thing: an issue, item or group word, a verb of the
# question (是/有), a number of items (那几项), a pointer back (那些)
_NO_THING = re.compile(rf"{_ISSUE_NOUN}|{_GROUP_NOUN}|[是有呢吗都还也几两二三四五六七八九十那这哪些多少]|数量|数目|个数|总数|比例|占比")


# 「多少项整改措施」, or the measures named first and then counted: 「38条整改措施，落实了多少条」
_COUNTS_TASKS = re.compile(r"(?:多少|几)(?:个|项|条)?(?:整改)?(?P<what>任务|措施)|"
                           r"(?:任务|措施)[^？?。]{0,8}(?:多少|(?<![哪那这])几)(?:个|项|条)")


def _count_target(q: str) -> str:
    match = _COUNTS_TASKS.search(q)
    if not match:
        return "issues"
    return "measures"      # 整改任务 and 整改措施 are counted alike (StatedCount "measures")


# 「哪些问题」「多少个事项」「问题都有哪些？」: the issues themselves are asked for
_FOR_ISSUES = re.compile(r"(?:哪些|" + _WHICH_SEVERAL + r"个|多少个?|几个)(?:问题|整改任务|事项)|"
                         r"(?:哪些|" + _WHICH_SEVERAL + r")[\u4e00-\u9fff]{1,4}?的(?:问题|整改任务|事项)|"
                         r"(?:问题|整改任务|事项)都?(?:有|是)(?:哪些|" + _WHICH_SEVERAL + r"[个条项]?)[？?。]?$")


_RECORD_NOUN = re.compile(rf"{_ISSUE_NOUN}|措施|举措|方面|大类")


def names_records(question: str) -> bool:
    """Whether a question speaks of the report's issues, measures or groups (what a count
    from the records counts), not of things inside them (新媒体账号, 追缴的费用)."""
    return bool(_RECORD_NOUN.search(normalize(question)))


def asks_for_issues(question: str) -> bool:
    """Whether a question asks for issues (哪些问题), not for something of one (哪些单位负责)."""
    return bool(_FOR_ISSUES.search(normalize(question)))


def _counts_issues(q: str, query: Query) -> bool:
    """A count of the report's issues, not a figure inside one ("专项督查查找了多少问题").

    Issue counts are asked about with the inspection's own verbs, a status, a topic
    filter (涉及/有关), or with nothing else at all."""
    if query.count_groups or query.status is not None:
        return True
    if _figure_verb().search(q) or _ONE_ISSUE.search(q):
        # 「专项督查查找了多少问题」「这个问题一共追回了多少」 ask for a figure inside one issue
        return False
    return bool(re.search(_ISSUE_NOUN, q)) or not query.topic_terms


# Verbs that make "多少问题" a figure stated in the text, not a count of the report's issues.
_ONE_ISSUE = re.compile(rf"(?:这|那|该|此)(?:个|一|条|项)?{_ISSUE_NOUN}")
@lru_cache(maxsize=1)
def _figure_verb() -> re.Pattern:
    """The check verbs of genre.toml, or 发现 with a number asked (发现了多少)."""
    verbs = "|".join(map(re.escape, load_lexicon().data["query"]["figure_verbs"]))
    return re.compile(rf"{verbs}|发现了?(?:多少|几)")


# 「标着“已达到序时进度”的」「写着正在推进的」: the report's own status label, quoted or pointed at
_LITERAL_CUE = re.compile(r"[“\"「『‘']|(?:标着|写着|标的是|写的是|标注为|标为|注明)")


def _status_literal(q: str, statuses: re.Pattern) -> str:
    for match in statuses.finditer(q):
        if _LITERAL_CUE.search(q[max(0, match.start() - 3):match.start()]):
            return match.group(0)
    return ""


def _status_filter(q: str) -> frozenset[Status] | None:
    """The statuses asked about, read with the genre vocabulary the parser uses. A clause
    that asks nothing (「做销号统计要用：」「准备去督导，」) says why the user asks; a status
    word in it is not the status asked for, when the asking clauses name one."""
    lexicon = load_lexicon()
    clauses = [c for c in _CLAUSE_BREAK.split(q) if c]
    asking = [c for c in clauses if _ASKS.search(c)]
    if 0 < len(asking) < len(clauses):
        read = lexicon.statuses_asked("，".join(asking))
        if read is not None:
            return read
    return lexicon.statuses_asked(q)


_CLAUSE_BREAK = re.compile(r"[，,：:；;。！!？?]")


# 「资金共涉及多少户」: a measure word right after 多少 says what is counted, though money
# is named before it; only money asked outright (多少钱, 多少万元, 金额) is money then
_MONEY_OUTRIGHT = re.compile(r"多少钱|多少万|多少元|多少亿|金额|总额")


def _unit(q: str) -> str | None:
    after = _UNIT_AFTER.search(q)
    if after and after.group("u") == "个" and re.match(r"人(?![事才力口大民社])", q[after.end():]):
        return "人"         # 「处理了几个人」 counts people, 个 is only their classifier
    if after and after.group("u") in load_lexicon().counters() and not _MONEY_OUTRIGHT.search(q):
        return after.group("u")
    for pattern, unit in _unit_cues():
        if pattern.search(q):
            return _title_or_name(q) if unit == "name" else unit
    if after:
        return after.group("u")
    # 「涉及的户数」「处理的人次数」: the number of what a measure word counts, asked as a noun
    counted = _COUNT_NOUN.search(q)
    if counted:
        return counted.group("u")
    # 「多少编外人员」「多少乡村教师」: a count of people, whatever classifier the report uses
    return "人" if _COUNTS_PEOPLE.search(q) else None


_COUNT_NOUN = re.compile(r"(?P<u>人次|户次|户|件|家|所|名|台|辆|宗|笔)数(?![据字额量])")


def _title_or_name(q: str) -> str:
    """「计划叫什么名字」 asks the title of a thing (“领航计划”), 「主任叫啥」 a person's name:
    the noun before the asking word says which."""
    before = re.split(r"叫|的?名字|的?名称|姓名", q, maxsplit=1)[0]
    people = load_lexicon().data["query"]["person_nouns"]
    return "name" if not before or any(before.endswith(n) for n in people) else "title"


_COUNTS_PEOPLE = re.compile(r"(?:多少|几)[\u4e00-\u9fff]{0,6}?(?:人员|人才|教师|老师|干部|职工|员工|医生|护士|党员|编外|学生|群众|人)")


# The state after rectification: a figure from the problem statement (仅为8.2%) is the
# state before it and does not answer 「现在提高到多少了」.
_AFTER = re.compile(r"提高到|提升到|提到了?|提高至|提升至|降到|降低到|降至|下降到|减少到|减到|增加到|增至|升至|"
                    r"整改后|整改以后|现在|目前|如今|后来|已经|(?<=[\u4e00-\u9fff])[好完]了")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def names_a_time(text_norm: str) -> bool:
    """Whether a text says when its figure stands (整改后, 现在, 提高到 …)."""
    return bool(_AFTER.search(text_norm))


# Words that mark what follows or precedes as the topic (「涉及医保的」「跟采购有关的」).
_TOPIC_CUE = re.compile(r"涉及|有关|相关|关于|方面的|领域的|类的|跟.{1,12}(?:有关|相关)")


def _without(q: str, words) -> str:
    """`q` without the report names in it (a title's own 关于 marks no topic)."""
    for word in sorted(words, key=len, reverse=True):
        q = q.replace(normalize(word), " ")
    return q


def years_in(text_norm: str) -> frozenset[str]:
    """Years written in a text: 2023年, 2024届, 2023-2025."""
    return frozenset(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text_norm))


# A part asked of a figure the question gives: 「那3.86万元违规补贴里，低保金占了多少」
# 「引进的26名人才中，硕士以上的有几个」. The words between the marker and the asking word
# name the part.
_PART_OF_GIVEN = re.compile(r"\d(?:\.\d+)?[\u4e00-\u9fff]{0,10}?(?:里面|里|当中|之中|中(?=[，,]|其中|有|的))[，,]?"
                            r"(?:其中)?(?P<part>[^，,。？?]{1,16}?)(?:各|分别)?(?:占了?|有|是)?(?:多少|几)")
_PART_FRAME = frozenset("部分 的 各 分别 占 有 是 了 那 这 那块 这块 专门".split())
# … or of an amount of money it names: 「追回的违规补贴里，低保金那块有多少」「投的钱里，有多少
# 是用在互联网医院上的」 (the part before or after the asking word).
_PART_OF_MONEY = re.compile(r"(?:补贴|补助|资金|经费|费用|款|钱)(?:里面|里|当中|之中)[，,]?(?P<part>[^，,。？?]{0,16}?)"
                            r"(?:各|分别)?(?:占了?|有|是)?(?:多少|几)(?P<after>[^，,。？?]{0,16})")


# 「其中低保金是多少」: the part asked of the figure just answered
_PART_OF_PREVIOUS = re.compile(r"^(?:那)?其中(?P<part>[^，,。？?]{1,16}?)(?:各|分别)?(?:占了?|有|是)?(?:多少|几)")


def part_terms(q: str) -> list[str]:
    """The words naming the part a question asks of a figure it gives (or the previous
    answer gave), or none."""
    match = _PART_OF_GIVEN.search(q) or _PART_OF_PREVIOUS.search(q)
    if not match:
        return []
    return _part_words(match.group("part"))


def money_part_terms(q: str) -> list[str]:
    """The words naming the part a question asks of an amount of money it names, or none."""
    match = _PART_OF_MONEY.search(q)
    if not match or _PART_OF_GIVEN.search(q):
        return []
    return _part_words(match.group("part") or re.sub(r"^是", "", match.group("after")))


def _part_words(part: str) -> list[str]:
    return [t for t in tokenize(part) if len(t) > 1 and t not in _PART_FRAME]


# 「确定的6个重点学科分别是哪些」「其余5个专业是哪几个」: the N things counted, each by name
# (「那8个专业，哪几个已过认证」 asks which of them, a predicate after the asking word)
@lru_cache(maxsize=1)
def _names_of_counted() -> re.Pattern:
    return re.compile(r"(?<![第\d])(?P<n>\d+|[两二三四五六七八九十])\s*" + load_lexicon().counter_class("items") +
                      r"(?P<noun>[\u4e00-\u9fff（）()、]{0,14}?)[，,]?(?:分别|具体|都|各)?(?:是|有|叫)?"
                      r"(?:哪些|哪几|哪[两二三四五六七八九十]|分别是哪|啥|什么)(?!时候|时间|原因)"
                      r"(?P<tail>[\u4e00-\u9fff]{0,4})(?:[、，,][^？?。]{0,6})?[？?。]?$")


CHINESE_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# 「与哪两家省内医院签了协议」: the number asked for with the asking word itself
@lru_cache(maxsize=1)
def _which_n() -> re.Pattern:
    return re.compile(r"哪(?P<n>[两二三四五六七八九十])" + load_lexicon().counter_class("items") + r"(?P<rest>[^，,。？?]*)")


def names_wanted(q: str) -> int:
    """How many things a question asks to be named (0: it asks for no names by count)."""
    return _count_read(_names_of_counted().search(q) or _which_n().search(q))


def _count_read(match: re.Match | None) -> int:
    """The number a match's group `n` writes (3, 三, 两), 0 without a match."""
    if not match:
        return 0
    n = match.group("n")
    return int(n) if n.isdigit() else CHINESE_DIGITS[n]


def named_kind(q: str) -> str:
    """The head of the noun naming the things asked by count (学科 in 6个重点建设学科)."""
    match = _names_of_counted().search(q)
    if not match:
        return _noun_after_which_n(q)
    measures = load_lexicon().counters("items")
    tail = match.group("tail")
    if len(tail) > 2 and tail[0] in measures:
        tail = tail[1:]          # 哪几个街道: 街道; but 啥项目 keeps its 项
    noun = match.group("noun") or ("" if tail in measures else tail)
    return noun[-2:] if len(noun) >= 2 else ""


def _noun_after_which_n(q: str) -> str:
    """The head noun after 哪两家 (医院 in 哪两家省内高水平医院签订了…): the last noun
    before the first verb."""
    match = _which_n().search(q)
    if not match:
        return ""
    head = ""
    for word in default_tokenizer().pos_cut(match.group("rest")):
        # 监测机构: a verbal noun qualifies; after the noun, a verb or adverb starts the predicate
        if (word.flag.startswith("v") and word.flag != "vn") or (head and word.flag.startswith(("v", "d", "p"))):
            break
        if word.flag.startswith("n") and len(word.word) >= 2:
            head = word.word
    return head[-2:] if head else ""


# 「那3个已完工项目，各自多付了多少」: one figure for each of the N things counted (not
# 「两家各追缴了多少」: bodies, which are reports each answered on its own)
@lru_cache(maxsize=1)
def _figure_of_each() -> re.Pattern:
    return re.compile(r"(?<![第\d])(?P<n>\d+|[两二三四五六七八九十])\s*" +
                      load_lexicon().counter_class("items", without="bodies") +
                      r"[^，。？?]{0,12}?[，,]?(?:各自|分别|各)[^，。？?]{0,8}?(?:多少|几)")


def figures_wanted(q: str) -> int:
    """How many figures a question asks, one for each thing it counts (0: not so asked)."""
    return _count_read(_figure_of_each().search(q))


def figures_in(text_norm: str) -> frozenset[str]:
    """The numbers written in a (normalised) text, thousands separators dropped."""
    return frozenset(_FIGURE.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text_norm)))


# 「要填…已化解的欠债数额。」: a measure noun closing a request asks for its figure too
_WANTS_NUMBER = re.compile(r"多少|(?<![这那哪])几(?!乎)|占比|比例|百分之|多高|多长|多大|多重|多久|"
                           r"(?:数额|金额|数量|数目|总数|总额|人数|次数|个数|件数)(?:是|为)?[。？?]?$")
_ROLE_BEFORE = re.compile(r"(?P<n>[\u4e00-\u9fff]{2,8}?)(?:是谁|叫什么|由谁|谁负责|谁担任)")
_ROLE_AFTER = re.compile(r"谁(?:当|担任|任)(?P<n>[\u4e00-\u9fff]{2,4})")


# Nouns that name a measure of something, not a thing counted: 债务金额是多少 counts 债务.
_MEASURE_NOUNS = frozenset("金额 数额 数量 数目 总数 总额 规模 人数 次数 个数 件数 比例 占比 幅度 数值 数字 额度".split())


# The unit of an amount of money, not of things counted (a rate keeps its noun: 不合格率).
_AMOUNTS = ("money",)
# figures that are codes, not counts: 「文号是多少」「电话是多少」 count no 文号
_CODES = ("docno", "phone")


def _counted_head(q: str) -> str:
    head = _counted_noun(q)
    return "" if head in _MEASURE_NOUNS else head


def _counted_noun(q: str) -> str:
    """The head noun of the phrase after 多少/几 (its last noun before a verb):
    多少名护士 -> 护士, 多少个公卫结对帮扶小组 -> 小组, 多少张处方 -> 处方; for a
    who-question the role asked about: 院长是谁 -> 院长, 谁当组长 -> 组长."""
    role = _ROLE_AFTER.search(q) or _ROLE_BEFORE.search(q)
    if role:
        words = [w.word for w in default_tokenizer().pos_cut(role.group("n")) if w.flag.startswith("n")]
        return words[-1] if words and len(words[-1]) >= 2 else ""
    match = _counted_after().search(q)
    if not match:
        return ""
    before = re.search(r"(?P<n>[\u4e00-\u9fff]{2,6}?)(?:是|有|达到?|共)?" + _counted_after().pattern + r"[^\u4e00-\u9fff]*$", q)
    if before and not q[match.end():].strip("？?。 "):
        # only a noun right before 多少 is counted (门诊量是多少); 实际投了多少 counts nothing
        words = [w for w in default_tokenizer().pos_cut(before.group("n")) if w.word not in ("是", "有", "达", "达到", "共")]
        last = words[-1] if words else None
        return last.word if last and last.flag.startswith("n") and len(last.word) >= 2 else ""
    head = ""
    for word in default_tokenizer().pos_cut(q[match.end():]):
        if word.flag.startswith(("n", "b", "j")) and word.word not in _NON_TOPIC:
            head = word.word
        elif head or not word.flag.startswith(("a", "v")):     # 多少注册用户: a verb before the noun qualifies it
            break
    return head if len(head) >= 2 else ""


# 「最后那个还差啥没弄完」 points at the last item listed; 「最后有几笔没法补」 says finally
_LAST_ITEM = re.compile(r"最后(?:那|一)\s*[个条项家处笔所件块]|最末(?:那|一)\s*[个条项家处]")


def _ordinal(q: str) -> int | None:
    match = _ORDINAL.search(q)
    if not match:
        return None
    return cn_to_int(match.group(1) or match.group(2))


def _label_number(q: str) -> str | None:
    match = _LABEL_REF.search(q)
    return match.group(1) if match else None


# For passage search only interrogatives and function words go: "巡察组", "反馈", "整改"
# may be exactly what a fact question is about ("哪个巡察组巡的二院").
_QUESTION_WORDS = frozenset("""
请问 请 帮 帮我 麻烦 一下 告诉 告诉我 我 我们 你 想 知道 想知道 了解 想了解 能否 可以 能 说说 讲讲 介绍 看看 查 查一下
哪些 哪几个 哪几项 哪几条 哪几 哪个 哪家 哪份 哪一 哪 什么 啥 多少 几个 几项 几条 几类 几 个 项 条 类
怎么样 怎么 如何 怎样 咋 是否 有没有 吗 呢 吧 呀 啊 了 的 得 地 么 是 有 在 为 把 被 给 对 和 与 及 或 跟 同 都 还 也 就 才 又
这 那 这个 那个 这些 那些 其 其中 它 该 那边 这边 那次 这次 现在 目前 当前 最近 近期 搞 弄 干 用 哪天 哪年 何时 什么时候 啥时候 啥时 几时 时候 谁 哪里 在哪 哪儿
一共 总共 合计 的话 出来 查出来 查出 搞出来 弄出来 哪一年 一年 多久 多高 多大 多长 之后 以后 后来 做 做了 方面 几方面 哪几方面 几点 哪几点 两份 两家 两次 两个 单位 报告 通报 分别 各 各自 对应 这块 那块 一块 来 去 过 没有 没
下来 这笔 那笔 具体 做个 汇报 汇报表 表格 目录 最后 最终 原来 原先
""".split())


def _fact_terms(q: str, scope_words) -> list[str]:
    q = _ORDINAL.sub(" ", _without(q, scope_words))        # 第2个 points at an item; it is no word of the passage
    q = _which_of().sub(" ", q)
    q = _AFTER.sub(" ", q)      # 整改后提到了多少: when the figure stands, not a word of its sentence
    q = _counted_after(required=True).sub(" ", q)   # 多少名田长: the measure word is no part of the noun after it
    lexicon = load_lexicon()
    q = lexicon.written(lexicon.status_phrase_pattern().sub(" ", q))   # a status is a filter, not a topic
    words = [lexicon.written_word(w) for w in default_tokenizer().jieba.lcut(q)
             if w.strip() and re.search(r"\w", w) and w not in _QUESTION_WORDS and not re.match(r"几|多少", w)
             and not _SPOKEN_PLACE.fullmatch(w) and not _how_many_of().fullmatch(w)]
    # search mode cuts words again (啥时候 -> 时候): an interrogative part is no term either
    return [t for t in tokenize(" ".join(words)) if (len(t) > 1 or t.isascii()) and t not in _QUESTION_WORDS]


@lru_cache(maxsize=2)
def _counted_after(required: bool = False) -> re.Pattern:
    """多少 / 几 and the measure word after it (多少张, 几所); with `required`, only with one."""
    words = "|".join(map(re.escape, load_lexicon().counters()))
    return re.compile(rf"(?:多少|几)\s*(?:{words})" + ("" if required else "?"))


# 县里 / 村里 / 局里 / 院里: "there", in speech; never a term to find in a report
_SPOKEN_PLACE = re.compile(r"[\u4e00-\u9fff]里")


def _topic_text(q: str, scope_words) -> str:
    """The question minus report names, status phrases and words that carry no topic."""
    q = _without(q, scope_words)
    q = _QUOTED.sub(lambda m: " " + m.group(1) + " ", q)
    lexicon = load_lexicon()
    q = lexicon.written(lexicon.status_phrase_pattern().sub(" ", q))
    q = lexicon.field_phrase_pattern.sub(" ", q)      # the part asked for is not the topic
    q = _ORDINAL.sub(" ", q)
    q = _LABEL_REF.sub(" ", q)
    q = _which_of().sub(" ", q)
    q = _counted_after(required=True).sub(" ", q)
    words = [lexicon.written_word(w) for w in default_tokenizer().jieba.lcut(q)
             if w.strip() and re.search(r"\w", w) and w not in _NON_TOPIC and not re.match(r"几|多少", w)
             and w not in lexicon.data["query"]["why"]      # 为什么 asks, it names nothing
             and not _SPOKEN_PLACE.fullmatch(w) and not _how_many_of().fullmatch(w)]
    return " ".join(words)


# 「哪两条」「那3个」: a number of items, no topic
@lru_cache(maxsize=1)
def _how_many_of() -> re.Pattern:
    return re.compile(r"[两三四五六七八九十\d]{1,3}" + load_lexicon().counter_class("items"))


@lru_cache(maxsize=1)
def _which_of() -> re.Pattern:
    return re.compile(_WHICH_SEVERAL + load_lexicon().counter_class("items"))
