"""The analysis part of the message catalogue (app/message_catalogue.py): conflict statuses and
the five-year evaluation; English templates of the core ({} for a variable part) and their
Chinese; data only."""

from __future__ import annotations

ANALYSIS: dict[str, str] = {
    'base year {} must be before {}':
        '基期年 {} 须早于 {} 年',
    'evaluation year {} is before the base year {}':
        '评估年份 {} 早于基期年 {}',
    'conflict id {} is too short: give at least {} characters':
        '冲突编号 {} 太短：请至少给出 {} 个字符',
    'no conflict {} is recorded in this project: run the check on it first':
        '本项目未记录冲突 {}：请先对其运行冲突检测',
    'conflict id {} is ambiguous: give more characters':
        '冲突编号 {} 不唯一：请给出更多字符',
    'accepting a conflict needs the approving memo (--memo), e.g. its number':
        '认定冲突为例外须注明批准纪要（--memo），例如纪要编号',
    'resolving a conflict needs the change set id that resolves it':
        '标记冲突已解决须给出解决它的变更集编号',
    "only a coordinator decides on conflicts (this copy's role is {})":
        '只有协调方可以对冲突作出决定（本副本的角色为 {}）',
    'this project keeps no conflict statuses':
        '本项目未保存冲突状态',
    'memo date {} is not a date (YYYY-MM-DD)':
        '纪要日期 {} 不是有效日期（YYYY-MM-DD）',
    'cannot write {}: use a .geojson or .gpkg file name (or .csv / .xlsx for a table)':
        '无法写入 {}：请使用 .geojson 或 .gpkg 文件名（表格用 .csv / .xlsx）',
    '--accept needs the approving memo: --memo TEXT':
        '--accept 须注明批准纪要：--memo 文本',
    '--resolve needs the change set that resolves it: --change-set ID':
        '--resolve 须给出解决它的变更集：--change-set 编号',
}
