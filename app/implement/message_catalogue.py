"""The implementation-tracking part of the message catalogue (app/message_catalogue.py): items,
progress reports, roll-up, issues and meetings; English templates of the core ({} for a
variable part) and their Chinese; data only."""

from __future__ import annotations

IMPLEMENT: dict[str, str] = {
    '$: an implementation event must be an object':
        '$：实施事件必须是对象',
    '$.format: not a {} event':
        '$.format：不是 {} 事件',
    '$.version: must be a positive integer':
        '$.version：必须是正整数',
    '$.kind: unknown kind {}':
        '$.kind：未知类型 {}',
    'no implementation archive {}':
        '没有实施事件归档 {}',
    '{}: unknown field':
        '{}：未知字段',
    '{}: must be a string':
        '{}：必须是字符串',
    '{}: longer than {} characters':
        '{}：超过 {} 个字符',
    '{}: must not be empty':
        '{}：不能为空',
    '{}: contains a NUL character':
        '{}：含有 NUL 字符',
    '{}: must be a UUID':
        '{}：必须是 UUID',
    '{}: must be a number':
        '{}：必须是数字',
    '{}: must be a finite number':
        '{}：必须是有限数值',
    '{}: must be between {} and {}':
        '{}：必须在 {} 与 {} 之间',
    '{}: must be at least {}':
        '{}：不能小于 {}',
    '{}: must be at most {}':
        '{}：不能大于 {}',
    '{}: must be an integer':
        '{}：必须是整数',
    '{}: must be a period YYYY-MM':
        '{}：必须是期次 YYYY-MM',
    '{}: must be a date YYYY-MM-DD':
        '{}：必须是日期 YYYY-MM-DD',
    '{}: is not a calendar date':
        '{}：不是有效的日历日期',
    '{}: must be an ISO 8601 time':
        '{}：必须是 ISO 8601 时间',
    '{}: must be one of {}':
        '{}：必须是以下之一：{}',
    '{}: must be a list':
        '{}：必须是列表',
    '{}: more than {} entries':
        '{}：超过 {} 条',
    '{}: repeated':
        '{}：重复',
    '{}: must be an object':
        '{}：必须是对象',
    '{}: more than {} keys':
        '{}：超过 {} 个键',
    '{}: must be a string, number, boolean or null':
        '{}：必须是字符串、数字、布尔值或 null',
    '{}: missing':
        '{}：缺失',
    "{}: only the root item 'plan' has no parent":
        '{}：只有根事项 plan 没有上级',
    "{}: the root item 'plan' is of kind plan":
        '{}：根事项 plan 的类型必须是 plan',
    '{}: an item cannot be its own parent':
        '{}：事项不能是自己的上级',
    '{}: before start_year':
        '{}：早于开始年份',
    '{}: repeated milestone id':
        '{}：里程碑编号重复',
    '{}: an issue needs a title':
        '{}：问题需要标题',
    '{}: item reported twice in one report':
        '{}：同一报告中重复填报了该事项',
    '{}: repeated ({})':
        '{}：（{}）重复',
    '{}: weights are given only with the method custom':
        '{}：只有自定义方法才能给出权重',
    '{}: returning a report needs a note':
        '{}：退回报告需要填写说明',
    '{}: a title is needed':
        '{}：需要标题',
    'unknown kind of implementation event: {}':
        '未知的实施事件类型：{}',
    'event {} was already applied':
        '事件 {} 已应用',
    '{}: no item {} (a parent must exist or come earlier in the list)':
        '{}：没有事项 {}（上级事项必须已存在或在列表中靠前）',
    '{}: item {} would become its own ancestor':
        '{}：事项 {} 将成为自己的上级',
    '{}: no item {}':
        '{}：没有事项 {}',
    '{}: not a child of {}':
        '{}：不是 {} 的下级事项',
    '{}: report {} exists already':
        '{}：报告 {} 已存在',
    '{}: item {} has no milestone {}':
        '{}：事项 {} 没有里程碑 {}',
    '{}: no report {}':
        '{}：没有报告 {}',
    '{}: the report is {}, not submitted':
        '{}：报告状态为 {}，不是已提交',
    '{}: issue {} exists already':
        '{}：问题 {} 已存在',
    '{}: no issue {}':
        '{}：没有问题 {}',
    '{}: issue {} is closed':
        '{}：问题 {} 已销项',
    '{}: the issue is at the top level (3) already':
        '{}：问题已在最高层级（3 级）',
    '{}: the meeting has its memo already':
        '{}：该会议已有纪要',
    '{}: no meeting {}':
        '{}：没有会议 {}',
    "{}: issue {} is not on the meeting's agenda":
        '{}：问题 {} 不在会议议程中',
    '{}: a level-3 issue cannot be escalated':
        '{}：3 级问题不能再升级',
    'no implementation command {}':
        '没有实施命令 {}',
    'role {} cannot write {} events':
        '角色 {} 不能写入 {} 事件',
    'the request id must be a UUID':
        '请求编号必须是 UUID',
    '{}: {} is in the future (this month is {})':
        '{}：{} 是未来期次（本月为 {}）',
    '{}: party {} neither leads nor joins item {}':
        '{}：单位 {} 既不牵头也不参与事项 {}',
    '{}: no attachment {} uploaded by your party':
        '{}：本单位没有上传附件 {}',
    '{}: no change set {} on the server':
        '{}：服务器上没有变更集 {}',
    '{}: only coordinators raise an issue above level 1':
        '{}：只有协调人可以直接提出 1 级以上的问题',
    '{}: a check-up of {} holds rows of {} only':
        '{}：{} 年体检只能包含 {} 年的记录',
    'not a date and time: {}':
        '不是日期时间：{}',
    'not a reporting period (YYYY-MM): {}':
        '不是报告期（YYYY-MM）：{}',
    'cannot read {}: {}':
        '无法读取 {}：{}',
    '{}: not a text file in UTF-8, GBK or GB18030':
        '{}：不是 UTF-8、GBK 或 GB18030 编码的文本文件',
    '{}: not a readable CSV file: {}':
        '{}：无法读取的 CSV 文件：{}',
    '{}: not a readable XLSX file ({})':
        '{}：无法读取的 XLSX 文件（{}）',
    '{}: no column {} in the header (row {})':
        '{0}：表头（第 {2} 行）中没有列 {1}',
    '{}: the file is empty':
        '{}：文件为空',
    '{}: no rows below the header':
        '{}：表头下没有数据行',
    '{}: more than {} rows; split it into several reports':
        '{}：超过 {} 行，请拆分为多份报告',
    '{}: {} bad rows: {}{}':
        '{}：{} 行有误：{}{}',
    '; and {} more':
        '；另有 {} 处',
    'row {}, {}: {}':
        '第 {} 行，{}：{}',
    'missing':
        '缺失',
    'no item {}':
        '没有事项 {}',
    'party {} neither leads nor joins item {}':
        '单位 {} 既不牵头也不参与事项 {}',
    'item {} is also on row {}':
        '事项 {} 也出现在第 {} 行',
    'longer than {} characters':
        '超过 {} 个字符',
    'not a number: {}':
        '不是数字：{}',
    '{} is not between 0 and 100':
        '{} 不在 0 到 100 之间',
    'unknown status {}':
        '未知状态 {}',
    '{}: an old Excel (.xls) workbook; save it as .xlsx or CSV':
        '{}：旧版 Excel（.xls）工作簿，请另存为 .xlsx 或 CSV',
    "evidence file {} is not named by any line's attachments":
        '佐证文件 {} 未被任何填报条目的附件引用',
    "an outbox item's state is one of {}":
        '发件箱条目的状态须为以下之一：{}',
    'only a coordinator may do this (this copy acts for {} as {})':
        '只有协调人可以执行此操作（本副本代表 {}，角色为 {}）',
    '{} must be a date YYYY-MM-DD, not {}':
        '{} 须为日期 YYYY-MM-DD，而不是 {}',
    'a period is YYYY-MM, not {}':
        '报告期须为 YYYY-MM 格式，而不是 {}',
    'period {} is in the future: report on {} or earlier':
        '报告期 {} 尚未到来：请报告 {} 或更早的报告期',
    'give the lines with --item … or --from FILE, not both':
        '请用 --item … 或 --from 文件 给出报告内容，不能同时使用',
    '{} must follow an --item':
        '{} 须写在某个 --item 之后',
    '{} given twice for item {}':
        '事项 {1} 的 {0} 给出了两次',
    'item {}: give --{}':
        '事项 {}：请给出 --{}',
    'a report needs lines: --item ID --percent N --status S, or --from FILE':
        '报告需要内容：--item 事项编号 --percent 百分比 --status 状态，或 --from 文件',
    'no evidence file {}':
        '找不到佐证文件 {}',
    '--percent must be a number 0–100, not {}':
        '--percent 须为 0–100 的数字，而不是 {}',
    '--percent must be 0–100, not {}':
        '--percent 须在 0–100 之间，而不是 {}',
    '--status must be one of {}, not {}':
        '--status 须为 {} 之一，而不是 {}',
    'no tracked item {}: see `coplan progress items`':
        '没有跟踪事项 {}：请查看 `coplan progress items`',
    '{} neither leads nor joins item {}: it cannot report on it':
        '{} 既不牵头也不参与事项 {}，不能报告其进展',
    '{} ({}) neither leads nor joins any item':
        '{}（{}）既不牵头也不参与任何事项',
    'no report of {} for {}':
        '没有 {} 的 {} 进展报告',
    'returning a report needs --note: what the party must change':
        '退回报告需要 --note：说明报送单位需修改的内容',
    '--weight takes CHILD=W with W a number ≥ 0, got {}':
        '--weight 的格式为 子事项=权重（权重为不小于 0 的数），收到 {}',
    '--weight goes with --method custom':
        '--weight 只能与 --method custom 一起使用',
    'not children of {}: {}':
        '以下不是 {} 的下级事项：{}',
    'cannot write {}: {}':
        '无法写入 {}：{}',
    'an issue needs --title-zh (or --title-en)':
        '问题需要 --title-zh（或 --title-en）',
    'an issue needs --due YYYY-MM-DD':
        '问题需要 --due 完成期限 YYYY-MM-DD',
    'no open conflict without an issue in this copy: run `coplan check` first':
        '本副本中没有尚未立项的未解决冲突：请先运行 `coplan check`',
    'name an issue (with --reason), or give --overdue':
        '请指定一个问题（并给出 --reason），或使用 --overdue',
    'escalating an issue needs --reason':
        '升级问题需要 --reason',
    '{} meetings on {}: name one by its id':
        '{1} 有 {0} 个会议：请用编号指定其中一个',
    'no meeting on {}':
        '{} 没有会议',
    'the meeting of {} already has memo {}':
        '{} 的会议已有纪要 {}',
    'report id {} is too short: give at least {} characters':
        '进展报告编号 {} 太短：请至少给出 {} 个字符',
    'no report {}':
        '没有进展报告 {}',
    'report id {} is ambiguous: {}':
        '进展报告编号 {} 不唯一：{}',
    'issue id {} is too short: give at least {} characters':
        '问题编号 {} 太短：请至少给出 {} 个字符',
    'no issue {}':
        '没有问题 {}',
    'issue id {} is ambiguous: {}':
        '问题编号 {} 不唯一：{}',
    'meeting id {} is too short: give at least {} characters':
        '会议编号 {} 太短：请至少给出 {} 个字符',
    'no meeting {}':
        '没有会议 {}',
    'meeting id {} is ambiguous: {}':
        '会议编号 {} 不唯一：{}',
    'agenda issue id {} is too short: give at least {} characters':
        '议题编号 {} 太短：请至少给出 {} 个字符',
    'no agenda issue {}':
        '没有议题 {}',
    'agenda issue id {} is ambiguous: {}':
        '议题编号 {} 不唯一：{}',
    'item {} has no milestone {}':
        '事项 {} 没有里程碑 {}',
    'no such meeting: {}':
        '没有此会议：{}',
    'the server cannot be reached: nothing is lost, try again when the network is back':
        '无法连接服务器：没有丢失任何内容，请在网络恢复后重试',
    'a milestone needs an id (--add) and a Chinese name (--name-zh)':
        '里程碑需要编号（--add）和中文名称（--name-zh）',
    'item {} already has a milestone {}':
        '事项 {} 已有里程碑 {}',
    "a milestone's due period is YYYY-MM, not {}":
        '里程碑的到期期次应为 YYYY-MM，而不是 {}',
    "milestone due {} is outside item {}'s years {}–{}":
        '里程碑到期期次 {} 超出事项 {} 的起止年份 {}–{}',
    'milestone {} of item {} was done in {}: it cannot be removed':
        '里程碑 {}（事项 {}）已于 {} 完成：不能删除',
    'give --add or --remove, not both':
        '请给出 --add 或 --remove，不要同时给出',
    '--add needs --name-zh and --due YYYY-MM':
        '--add 需要 --name-zh 和 --due YYYY-MM',
}
