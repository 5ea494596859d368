"""The comment rounds' part of the message catalogue (app/message_catalogue.py): English
templates of the review core ({} for a variable part) and their Chinese; data only."""

from __future__ import annotations

REVIEW: dict[str, str] = {
    'the events hold no round {}':
        '事件记录中没有第 {} 轮',
    'this copy does not know change set {}: pull first (`coplan pull`), or give its full id':
        '本地副本中没有变更集 {}：请先拉取（coplan pull），或给出完整编号',
    'the draft has no text: all {} section(s) are empty':
        '定稿没有正文：全部 {} 个章节均为空',
    # -- anchors checked against the frozen draft and the plan area (app/review/anchors.py, plan_area.py) --
    'the quote is empty':
        '引文为空',
    'the quote does not occur in section {}':
        '章节 {} 中没有这段引文',
    'the quote occurs {} times in section {} (at positions {}): choose an occurrence 1–{}':
        '引文出现 {} 次，位于章节 {}（位置 {}）：请指定第 1–{} 处',
    'section {} has {} occurrence(s) of the quote, not {}':
        '章节 {} 中这段引文只出现 {} 次，没有第 {} 处',
    'section {} is not in the frozen draft of round {}':
        '章节 {} 不在第 {} 轮的冻结定稿中',
    'the quote is not at position {} of section {}: it is at position(s) {}':
        '引文不在位置 {}（章节 {}）：它实际位于位置 {}',
    'the quote does not occur in section {} of the frozen draft of round {}':
        '章节 {} 中没有这段引文（第 {} 轮冻结定稿）',
    'the area lies outside the plan area':
        '所绘范围位于规划范围之外',
    'round {} has no frozen draft to quote':
        '第 {} 轮没有可供引用的冻结定稿',
    'no frozen draft {}':
        '没有冻结定稿 {}',
    # -- comment rounds on the server: due dates, reminders, evidence (app/review/commands.py, records.py, evidence.py, wire.py) --
    'only coordinators send reminders':
        '只有协调方可以发送催办提醒',
    'role {} cannot send reminders':
        '角色 {} 不能发送催办提醒',
    'role {} cannot see suggested groups':
        '角色 {} 不能查看建议的合并分组',
    "a reminder's note is text of at most 2,000 characters":
        '催办说明须为不超过 2000 字的文本',
    'party {} is not invited to round {}':
        '参与方 {} 未受邀参加第 {} 轮征询',
    'party {} has already answered round {}':
        '参与方 {} 已对第 {} 轮征询作出答复',
    'every party invited to round {} has answered: there is no one to remind':
        '第 {} 轮的受邀单位均已答复，无需催办',
    'no round {}':
        '没有第 {} 轮征询',
    'no change set(s) {} on the server':
        '服务器上没有变更集 {}',
    'section {} is not in frozen draft {}':
        '冻结稿 {1} 中没有章节 {0}',
    'no frozen draft {} on the server: a text revision names the hash of a frozen draft':
        '服务器上没有冻结稿 {}：文本修订须填写某一冻结稿的哈希值',
    'change reference {}: {} is filled in by the server, do not send it':
        '修改依据 {}：{} 由服务器填写，请勿提交',
    "a change reference's note is text of at most 2,000 characters":
        '修改依据的说明须为不超过 2000 字的文本',
    'text revision {} must be the hash (64 hex digits) of a frozen draft on the server':
        '文本修订 {} 须为服务器上某一冻结稿的哈希值（64 位十六进制）',
    'not a change reference: {}':
        '不是有效的修改依据：{}',
    # -- comment rounds from the command line (app/review/round_cli.py, party_cli.py, cli.py) --
    'comment id {} is too short: give at least {} characters':
        '意见编号 {} 太短：至少输入 {} 个字符',
    'draft id {} is too short: give at least {} characters':
        '定稿编号 {} 太短：至少输入 {} 个字符',
    'change set id {} is too short: give at least {} characters':
        '变更集编号 {} 太短：至少输入 {} 个字符',
    'no comment {}':
        '没有意见 {}',
    'no draft {}':
        '没有定稿 {}',
    'comment id {} is ambiguous: {}':
        '意见编号 {} 不唯一：{}',
    'draft id {} is ambiguous: {}':
        '定稿编号 {} 不唯一：{}',
    'change set id {} is ambiguous: {}':
        '变更集编号 {} 不唯一：{}',
    "section id {} is not valid (letters, digits, '.', '_', '-')":
        '章节编号 {} 无效（只能包含字母、数字及“.”“_”“-”）',
    'a clause anchor needs --quote: the text quoted from the draft':
        '条文定位需要 --quote：从定稿中引用的原文',
    '--position needs --section':
        '--position 需要同时给出 --section',
    'the frozen draft of round {} is not in this copy and the server cannot be reached: run the command again online':
        '本副本中没有第 {} 轮的冻结定稿，且无法连接服务器：请联网后重新运行该命令',
    'the quote is not in the frozen draft of round {}':
        '第 {} 轮的冻结定稿中没有这段引文',
    '--occurrence must be 1–{}':
        '--occurrence 须为 1–{}',
    'the quote occurs {} times: choose one of the places listed with --occurrence K (1–{})':
        '引文出现 {} 次：请用 --occurrence K（1–{}）从所列位置中选择一处',
    'no round {} on the server':
        '服务器上没有第 {} 轮',
    'round {} has no frozen draft yet':
        '第 {} 轮尚未冻结定稿',
    '--team takes DELIVERABLE=PARTY,PARTY (deliverable one of {}), got {}':
        '--team 的格式为 成果=参与方,参与方（成果为 {} 之一），实际为 {}',
    'this copy has no plan text: add it with `coplan content import`, or freeze a file with --text':
        '本副本没有规划文本：请用 `coplan content import` 导入，或用 --text 冻结一个文件',
    'cannot read {}: {}':
        '无法读取 {}：{}',
    '{} must map section ids to text':
        '{} 必须是章节编号到文本的映射',
    'round {} is {}: it has no next stage':
        '第 {} 轮处于 {} 阶段：没有下一阶段',
    'name at least two comments, or --accept K':
        '请至少列出两条意见，或使用 --accept K',
    'no suggestions here: run `coplan round suggest PROJECT N` first':
        '这里没有合并建议：请先运行 `coplan round suggest PROJECT N`',
    '--accept must be 1–{}':
        '--accept 须为 1–{}',
    '--text-revision takes SECTION@DRAFT, got {}':
        '--text-revision 的格式为 章节@定稿，实际为 {}',
    'round {} has no frozen draft':
        '第 {} 轮没有冻结定稿',
    'the server refused it: {}':
        '服务器拒绝了该操作：{}',
    'say why the answer is not satisfactory: --note':
        '请用 --note 说明对答复不满意的理由',
    'comment {} has no published answer yet':
        '意见 {} 尚无已发布的答复',
    'no outbox item {}':
        '发件箱中没有 {}',
    # -- the joint signature: keys, releases, the signature chain (app/review/signing.py, release.py, cosign.py) --
    'public_key must be a base64 raw Ed25519 key (32 bytes)':
        'public_key 须为 base64 编码的 Ed25519 原始公钥（32 字节）',
    '{}: key id does not match the key':
        '{}：密钥编号与密钥不符',
    '{} is not a {} file: export the keyring from the server with `coplan keys export`':
        '{} 不是 {} 文件：请用 `coplan keys export` 从服务器导出密钥环',
    "{}: loose public key files are not trusted (anyone can write one claiming any party); use --keyring with the keyring exported from the server (`coplan keys export`) or the release bundle's":
        '{}：零散的公钥文件不可信（任何人都能写一个冒称任一单位）；请用 --keyring 指定从服务器导出的密钥环（`coplan keys export`）或发布包中的密钥环',
    'no keyring {}':
        '找不到密钥环 {}',
    '{} is not a keyring: {}':
        '{} 不是密钥环：{}',
    'no key file {}':
        '找不到密钥文件 {}',
    '{} is not a key file: {}':
        '{} 不是密钥文件：{}',
    '{} is not a {} file':
        '{} 不是 {} 文件',
    '{}: damaged private key':
        '{}：私钥已损坏',
    'no public keys (*.pub.json) in {}':
        '{} 中没有公钥（*.pub.json）',
    '{} is not empty: a release is never overwritten':
        '{} 不为空：会签稿不会被覆盖',
    'the quorum is all signatories, or a number from 1 to the number of signatories':
        '签署人数要求须为“全部签署方”，或 1 至签署方总数之间的一个数',
    '{} is damaged: {}':
        '{} 已损坏：{}',
    '{} is not a {} manifest':
        '{} 不是 {} 清单',
    'no {} in {}: not a release':
        '{} 中没有 {}：不是会签稿',
    '{} is missing: the release is incomplete':
        '缺少 {}：会签稿不完整',
    'a release needs its {}':
        '会签稿须有 {}',
    'a release has no file {}':
        '会签稿中没有文件 {}',
    '{} does not match the manifest':
        '{} 与清单不符',
    'party {} cannot {} now (signed: {})':
        '单位 {} 现在不能执行 {}（已签署：{}）',
    'party {} is not a signatory of this release':
        '单位 {} 不是本会签稿的签署方',
    'the manifest names an unexpected file {} for {}':
        '清单列出了意外的文件 {}（用于 {}）',
    '{} is missing':
        '缺少 {}',
    "{} has been changed: its SHA-256 differs from the manifest's":
        '{} 已被改动：其 SHA-256 与清单不符',
    'manifest.json has been changed: the signatures sign release {}, the files give {}':
        'manifest.json 已被改动：签名针对的是会签稿 {}，文件计算得到的是 {}',
    '{} line {} does not follow line {}: a line was removed, inserted or moved':
        '{} 第 {} 行不接续第 {} 行：有记录被删除、插入或调换',
    "{} lacks entries the server holds: the server's chain had {} entries ending in {}":
        '{} 缺少服务器上已有的记录：服务器的签署链有 {} 条，末条为 {}',
    '{}: key {} is not in the trusted keyring':
        '{}：密钥 {} 不在可信密钥环中',
    '{}: the signature does not verify':
        '{}：签名验证不通过',
    '{} signs another release {}':
        '{} 签署的是另一会签稿 {}',
    '{}: key {} does not speak for party {}':
        '{}：密钥 {} 不代表单位 {}',
    '{}: key {} of party {} was revoked at {}':
        '{}：单位 {} 的密钥 {} 已于 {} 吊销',
    '{}: unknown action {}':
        '{}：未知操作 {}',
    'quorum {} not met; not signed by: {}':
        '未达到法定人数（{}）；未签署：{}',
    'all parties':
        '全部签署方',
    'at least {}':
        '至少 {} 方',
    'no party {} in this project':
        '本项目中没有单位 {}',
    "a signer's name is 1–100 characters":
        '签署人姓名须为 1–100 个字符',
    'key {} is already registered':
        '密钥 {} 已登记',
    'no registered key {}':
        '没有已登记的密钥 {}',
    'key {} was already revoked at {}':
        '密钥 {} 已于 {} 吊销',
    'release {} is already registered':
        '会签稿 {} 已登记',
    "the release's data version is missing or differs from data-version.json":
        '会签稿缺少数据版本，或与 data-version.json 不符',
    'data version {} does not exist on the server':
        '服务器上不存在数据版本 {}',
    'a release names the round whose frozen draft it releases; no round {}':
        '会签稿须指明其定稿所属的轮次；没有第 {} 轮',
    "the release's text is not round {}'s frozen draft":
        '会签稿文本不是第 {} 轮的冻结定稿',
    "the release's text is not exactly round {}'s frozen draft {}":
        '会签稿文本与第 {} 轮的冻结定稿 {} 不完全一致',
    'party {} is not a signatory of release {}':
        '单位 {} 不是会签稿 {} 的签署方',
    'not a {} entry for release {}':
        '不是 {} 格式的记录（会签稿 {}）',
    'the signature does not verify with the registered key':
        '签名与已登记的密钥验证不通过',
    'the signature log has moved on: its head is now {}; fetch it and sign again':
        '签署记录已更新，当前末条为 {}；请重新获取后再签署',
    'party {} cannot {} now':
        '单位 {} 现在不能执行 {}',
    'key {} is not registered on the server':
        '密钥 {} 未在服务器上登记',
    'key {} is registered for party {}; you sign for party {}':
        '密钥 {} 登记在单位 {} 名下；您代表单位 {} 签署',
    'key {} was revoked at {}':
        '密钥 {} 已于 {} 吊销',
    'no release {}':
        '没有会签稿 {}',
    'only coordinators register signer keys':
        '只有协调人可以登记签署密钥',
    'only coordinators revoke signer keys':
        '只有协调人可以吊销签署密钥',
    'only coordinators register releases':
        '只有协调人可以登记会签稿',
    'role {} cannot sign releases':
        '角色 {} 不能签署会签稿',
    'role {} cannot read releases':
        '角色 {} 不能查看会签稿',
    'release files must be UTF-8 text':
        '会签稿文件须为 UTF-8 文本',
    'release {} is not on the server: the coordinator uploads it with `coplan release`':
        '服务器上没有会签稿 {}：请协调人用 `coplan release` 上传',
    "the local signature log differs from the server's chain: sign again with `coplan sign DIR --key K --upload PROJECT`":
        '本地签署记录与服务器的签署链不一致：请用 `coplan sign DIR --key K --upload PROJECT` 重新签署',
    "round {} has no frozen draft: only a frozen draft's text can be released":
        '第 {} 轮没有冻结定稿：只有冻结定稿的文本才能发布会签',
    "the server's draft does not match round {}'s frozen hash":
        '服务器上的定稿与第 {} 轮的冻结哈希不符',
    'data version {} does not exist on the server (its latest is {})':
        '服务器上不存在数据版本 {}（最新为 {}）',
    "--quorum is 'all' or the number of parties needed":
        "--quorum 须为 'all' 或所需签署方数量",
    'usage: coplan release PROJECT --round N --data-version V --signatory CODE=NAME ... --out DIR':
        '用法：coplan release PROJECT --round N --data-version V --signatory CODE=NAME ... --out DIR',
    'usage: coplan release fetch PROJECT HASH --out DIR':
        '用法：coplan release fetch PROJECT HASH --out DIR',
    '{} comment(s) are still open: no release with --strict':
        '仍有 {} 条意见未办结：使用 --strict 时不发布会签稿',
    "--keys trusted any key file in a folder, and anyone can write one claiming any party: use --keyring with the keyring exported from the server (`coplan keys export PROJECT --out keyring.json`) or a fetched bundle's keyring.json":
        '--keys 会信任文件夹中的任何密钥文件，而任何人都能写一个冒称任一单位：请用 --keyring 指定从服务器导出的密钥环（`coplan keys export PROJECT --out keyring.json`）或所获取发布包中的 keyring.json',
    'verify needs --keyring: the keyring exported from the server':
        'verify 需要 --keyring：从服务器导出的密钥环',
    '{} is not linked to a server project':
        '{} 未关联服务器项目',
    # -- ledger and handling reports (app/review/report.py, report_cli.py, ledger.py) --
    'cannot create the folder {}: {}':
        '无法创建文件夹 {}：{}',
    '--release needs --keyring to check the signatures it shows':
        '使用 --release 时须同时给出 --keyring，以核验会签页所示签名',
    'release {} does not verify ({}): no signature page is printed for it':
        '发布版本 {} 核验未通过（{}）：不输出其会签页',
    'release {} froze another ledger (SHA-256 {}…) than these events give ({}…): its signatures do not cover this report':
        '发布版本 {} 冻结的意见台账（SHA-256 {}…）与本事件记录计算的台账（{}…）不一致：其签名不能用于本报告',
    "cannot read the release's ledger {}: {}":
        '无法读取发布版本的意见台账 {}：{}',
    'party {} was not invited and made no comments: no report':
        '单位 {} 未受邀征询且未提出意见：无可出具的报告',
    "the release's ledger differs from the ledger of these events (another state of the review): its signatures cannot be shown":
        '发布版本的意见台账与本事件记录计算的台账不一致（征询状态不同）：不能显示其签名',
    # -- the desktop round manager (app/editing/round_jobs.py) --
    'a round needs a title':
        '一轮征询需要标题',
    'the project has no plan text to freeze':
        '本项目没有可冻结的规划文本',
    'choose at least one party to invite':
        '请至少选择一个受邀单位',
    'a group needs at least two comments':
        '一个意见组至少需要两条意见',
    'choose the comments to assign':
        '请选择要分办的意见',
    # -- the desktop party answers (app/editing/party_jobs.py) --
    'round {} has no open invitation for party {}':
        '第 {} 轮没有待 {} 答复的征询',
    'party {} cannot confirm for party {}':
        '{} 不能代 {} 确认答复',
    'comment {} has no published answer':
        '意见 {} 尚无已发布的答复',
    'say why the answer is not satisfactory':
        '请说明对答复不满意的理由',
    'the quoted words are not at position {} of section {}':
        '所引文字不在第 {} 个字符处（章节 {}）',
}
