"""The catalogue app/messages.py matches against: the core's English message templates ({} for
a variable part) and their Chinese; data only. The most common messages a desktop user meets
come first in each group. Keep each English template exactly as the raising code formats it."""

from __future__ import annotations

from app.analysis.message_catalogue import ANALYSIS
from app.implement.message_catalogue import IMPLEMENT
from app.project.message_catalogue import DATA
from app.review.message_catalogue import REVIEW

# English template -> Chinese template ({} in order, or {0} {1} … to reorder or leave out).
CATALOGUE: dict[str, str] = {
    # -- opening a project (app/project/db.py, project.py, migrations.py) --
    "no such project file: {}": "找不到项目文件：{}",
    "no such project file: {} (build it: python -m sample_projects.build)":
        "找不到项目文件：{}（示例项目尚未生成）",
    "{} is a SQLite file but not a CoPlan project": "{} 是 SQLite 文件，但不是 CoPlan 项目：请选择 .sqlite 项目文件",
    "{} is not a readable SQLite file: {}": "{0} 不是可读取的 SQLite 文件，无法作为项目打开：请选择 CoPlan 项目文件",
    "{} already exists; choose another file name": "{} 已存在：请换一个文件名",
    "the database has schema version {}, newer than this CoPlan ({}); update CoPlan to open it":
        "该项目文件的结构版本为 {}，高于本程序支持的版本（{}）：请升级 CoPlan 后再打开",
    "SpatiaLite is not installed (mod_spatialite); on Debian: apt-get install libsqlite3-mod-spatialite":
        "未安装 SpatiaLite 空间扩展（mod_spatialite）：请联系管理员安装",
    "SpatiaLite could not initialise the spatial metadata": "SpatiaLite 无法初始化空间元数据",
    "party code {} must be 1–32 letters, digits, '_', '.' or '-'":
        "参与方代码 {} 须为 1–32 个字母、数字、“_”“.”或“-”",
    "role must be one of {}": "角色须为以下之一：{}",
    "layer {} is not in this project": "本项目中没有图层 {}",
    "the project is open read-only ({}); edits cannot be saved: reopen it once it can be written":
        "项目以只读方式打开（{}），修改无法保存：请在文件可写后重新打开",
    "the project needs a schema update but is read-only: {}": "项目文件需要升级结构，但只能以只读方式打开：{}",
    "its file cannot be written": "文件不可写",
    "its folder cannot be written": "所在文件夹不可写",
    "another program is writing to it": "另一个程序正在写入该文件",
    # -- read-only and low-level file errors (app/messages.py as_coplan) --
    "the project is open read-only, so the change was not saved; save a copy where you may write, "
    "or ask for write access to the file":
        "项目以只读方式打开，修改未保存：请把项目另存到可写的位置，或申请该文件的写权限",
    "the project file is busy: another program is writing to it; wait a moment and try again, or "
    "close the other program":
        "项目文件正被另一个程序写入：请稍候重试，或关闭该程序",
    "the project file cannot be opened: check that it exists and that you may read it":
        "无法打开项目文件：请确认文件存在且有读取权限",
    "the project file is damaged; open a backup copy or clone the project again":
        "项目文件已损坏：请打开备份副本或重新克隆项目",
    "the file is not a CoPlan project (not a SQLite file)": "该文件不是 CoPlan 项目（不是 SQLite 文件）",
    "the disk could not be read or written; check the drive and try again": "磁盘读写失败：请检查磁盘后重试",
    "the disk is full; free some space and try again": "磁盘已满：请清理空间后重试",
    "the project database refused the operation: {}": "项目数据库拒绝了该操作：{}",
    "no permission to write {}; choose another folder or ask for write access":
        "没有写入 {} 的权限：请换一个文件夹或申请写权限",
    "no such file: {}": "找不到文件：{}",
    "the file {} could not be read or written ({})": "无法读写文件 {}（{}）",
    "out of memory: close other programs or work on a smaller area": "内存不足：请关闭其他程序或缩小工作范围",
    "unexpected error ({}); the details are in the log": "发生意外错误（{}）：详细信息已写入日志",
    "the geometry cannot be processed: {}": "无法处理该几何图形：{}",
    # -- editing (app/project/features.py, history.py, apply.py, model/validation.py) --
    "this copy is read-only (role {}): it follows the server and cannot commit edits / 此副本为只读，不能提交修改":
        "此副本为只读（角色 {}）：它跟随服务器，不能保存或提交修改",
    "feature {} belongs to party {}; party {} may not change it": "要素 {} 属于参与方 {}，参与方 {} 不能修改它",
    "party {} cannot create features owned by {}": "参与方 {} 不能创建属于 {} 的要素",
    "party {} cannot import features owned by {}": "参与方 {} 不能导入属于 {} 的要素",
    "no feature {} in layer {}": "图层 {1} 中没有要素 {0}",
    "feature {} of {} does not exist": "{1} 中的要素 {0} 不存在",
    "change of {} names unknown columns of {}: {}": "要素 {} 的修改含有 {} 中不存在的字段：{}",
    "nothing to commit: no pending changes": "没有需要提交的修改",
    "a commit needs a message": "提交需要填写说明",
    "give at least 4 characters of a change-set id": "请至少输入变更集编号的前 4 个字符",
    "no change set {}": "没有变更集 {}",
    "{} matches {} change sets; give more characters": "{} 对应 {} 个变更集：请多输入几个字符",
    "there are uncommitted changes; commit or discard them first": "有未提交的变更；请先提交或放弃",
    "cannot revert: {} feature(s) changed since, e.g. {}": "无法撤销：此后有 {} 个要素又被修改，例如 {}",
    "{} geometries do not fit layer {} ({})": "{} 个几何图形不符合图层 {}（{}）",
    "geometry is missing": "缺少几何图形",
    "geometry is empty": "几何图形为空",
    "coordinates contain NaN or infinity": "坐标含有 NaN 或无穷大",
    "invalid geometry: {} (make_valid can repair it)": "几何图形无效：{}。请移动顶点，使边界不自相交、不重叠后再保存",
    "几何图形无效：{}（可用 make_valid 修复）": "几何图形无效：{}。请移动顶点，使边界不自相交、不重叠后再保存",
    "{} geometry in a {} layer": "该图层需要{1}，实际为{0}",
    "{} ({}) is required": "{1}（{0}）为必填项",
    "{}: longer than {} characters": "{}：超过 {} 个字符",
    "{}: {} is not a code of {}": "{}：{} 不在代码表 {} 中",
    "{}: {} is not a valid {}": "{}：{} 不是有效的 {}",
    "layer {} has no field {}": "图层 {} 没有字段 {}",
    "{} must be an integer": "{}应为整数",
    "{} must be a number": "{}应为数值",
    "{} must be a date (YYYY-MM-DD)": "{}应为日期（YYYY-MM-DD）",
    # -- sync, client side (app/sync/client.py, replica.py, rebase.py, credentials.py) --
    "cannot reach the server {}: check the network or the server address": "无法连接服务器 {}：请检查网络或服务器地址",
    "the server {} did not answer in time; try again later": "服务器 {} 响应超时：请稍后重试",
    "the server's reply was incomplete": "服务器的回复不完整：请重试",
    "server error {}: {}": "服务器错误（{}）：{}",
    "this project has no server; clone it from one or set its remote":
        "此项目没有关联服务器：请从服务器克隆项目，或先设置服务器地址",
    "there are uncommitted changes; commit or discard them before syncing":
        "有未提交的修改：请先提交或放弃，再同步",
    "there are uncommitted changes{}; commit or discard them before syncing":
        "有未提交的修改{}：请先提交或放弃，再同步",
    "({} made outside CoPlan)": "（其中 {} 处是在 CoPlan 之外做的）",
    "not logged in to {}; run: coplan login {} --user NAME": "尚未登录 {0}：请在同步面板中填写用户名和密码并登录",
    "the server refused change set {} \"{}\": {}. Later change sets wait behind it. See `coplan outbox`; "
    "`coplan drop PROJECT {}` takes it off this copy so sync goes on / 服务器拒绝了变更集 {}：可用 coplan "
    "outbox 查看，coplan drop 撤下后继续同步":
        "服务器拒绝了变更集 {0}“{1}”：{2}。其后的变更集都在等待；在同步面板的等待列表中选中它，"
        "点“撤下被拒绝的变更集”后同步即可继续",
    "cancelled": "已取消",
    # -- the server's answers that come back through the client (app/sync/server/*.py) --
    "--forwarded-allow-ips: {} is not an IP address or network":
        "--forwarded-allow-ips：{} 不是 IP 地址或网段",
    "unknown log format {}: use text or json": "未知的日志格式 {}：请用 text 或 json",
    "the server's store does not answer; see the server log": "服务器的存储无响应；请查看服务器日志",
    "wrong user name or password": "用户名或密码错误",
    "missing bearer token": "尚未登录：请先登录",
    "invalid token": "登录已失效：请重新登录",
    "token expired; log in again": "登录已过期：请重新登录",
    "too many failed logins; try again in {} s": "登录失败次数过多：请 {} 秒后再试",
    "user {} is not a member of project {}": "用户 {} 不是项目 {} 的成员",
    "no project {}": "服务器上没有项目 {}",
    "no user {}": "没有用户 {}",
    "no party {} in project {}": "项目 {1} 中没有参与方 {0}",
    "user {} acts for party {}, not {}": "用户 {} 代表参与方 {}，不是 {}",
    "change set is for project {}, not {}": "变更集属于项目 {}，不是 {}",
    "change set id {} is already taken in this project": "变更集编号 {} 在本项目中已被占用",
    "schema version mismatch: the change set has {}, the project expects {}; update CoPlan":
        "结构版本不一致：变更集为 {}，项目需要 {}：请升级 CoPlan",
    "no conflict {} in project {}": "项目 {1} 中没有冲突 #{0}",
    "choice must be ancestor, ours, theirs or value": "请选择：共同的原值、服务器当前值、我的修改或指定值",
    "conflict {} is already resolved": "冲突 #{} 已经处理过了",
    "this decision would make a change party {} may not make: {}": "该决定会做出参与方 {} 无权做出的修改：{}",
    "a refused change has no ancestor to go back to; keep ours or accept theirs":
        "被拒绝的修改没有可恢复的原值：请保留服务器当前值或接受对方的修改",
    "only a coordinator can accept a refused change": "只有协调方可以接受被拒绝的修改",
    "only a coordinator or the parties involved can resolve a conflict": "只有协调方或相关参与方可以处理冲突",
    "no change set {} in project {}": "项目 {1} 中没有变更集 {0}",
    "only a coordinator or the party that made it can revert a change set": "只有协调方或提交该变更集的参与方可以撤销它",
    "change set {} applied nothing; there is nothing to revert": "变更集 {} 没有生效的修改，无需撤销",
    "request {} was already used with a different body": "请求 {} 已用不同的内容提交过",
    "request body too large": "请求内容过大",
    "request body too large: at most {} on this endpoint": "请求内容过大：此接口最多接受 {}",
    "request body over {} MiB": "请求内容超过 {} MiB：请分几次提交",
    "JSON nested too deeply": "请求内容嵌套过深",
    "malformed JSON: {}": "请求内容不是有效的 JSON：{}",
    "{} is not allowed in a change set": "变更集中不允许出现 {}",
    "{}.layer: unknown layer {}": "{}：未知图层 {}",
    "{}: geometry is not valid WKB: {}": "{}：几何数据无效：{}",
    "{}: geometry is not valid WKB": "{}：几何数据无效",
    "choice 'value' needs a values object {column: value}": "选择“指定值”时需要给出各字段的值",
    "values name columns outside the conflict: {}": "所给的值含有冲突之外的字段：{}",
    "the feature has no stored state to restore": "该要素没有可恢复的已存状态",
    "project {} already exists": "项目 {} 已存在",
    "user {} already exists": "用户 {} 已存在",
    "the file {} is missing on the server": "服务器上缺少文件 {}",
    "owner {} is not a party of this project": "所有者 {} 不是本项目的参与方",
    "party {} may only create its own features": "参与方 {} 只能创建自己的要素",
    "uuid {} is a feature of party {}": "编号 {} 是参与方 {} 的要素",
    "only coordinators transfer ownership": "只有协调方可以转移要素归属",
    "feature {} belongs to party {}": "要素 {} 属于参与方 {}",
    # -- import and export (app/project/io.py) --
    "{} is not a {} file ({})": "{0} 不是受支持的文件（{1}）",
    "{} has no features": "{} 中没有要素",
    "cannot tell the format of {}: use .geojson, .gpkg, .shp or .csv":
        "无法识别 {} 的格式：请使用 .geojson、.gpkg、.shp 或 .csv",
    "cannot write {}: folder {} does not exist": "无法写入 {}：文件夹 {} 不存在",
    "cannot write {}: {}": "无法写入 {}：{}",
    "{} has {} layers ({}); import a file with a single layer (export the one you want first)":
        "{} 含有 {} 个图层（{}）：请导入只含一个图层的文件（可先导出所需图层）",
    "{}: the text is UTF-8 but {}; reading it as {} would garble it: give --encoding UTF-8":
        "{0}：文本为 UTF-8 编码，按 {2} 读取会变成乱码：请选择 UTF-8 编码",
    "{} has no geometry (a CSV needs a WKT column or lon/lat, x/y or 经度/纬度 columns)":
        "{} 没有几何图形（CSV 需要 WKT 列，或经度/纬度、lon/lat、x/y 列）",
    "{} does not say which coordinate reference system it uses; give it with --crs (e.g. EPSG:4490 "
    "lon/lat, EPSG:4549 metres)":
        "{} 没有说明所用的坐标系：请指定坐标系（如 EPSG:4490 经纬度、EPSG:4549 米）",
    "{}: the file says {}, --crs says {}; drop --crs or fix the file":
        "{}：文件声明的坐标系为 {}，所选坐标系为 {}：请去掉所选坐标系或修正文件",
    "field map {}: layer {} has no field {} (its fields: {})": "字段对应 {}：图层 {} 没有字段 {}（其字段：{}）",
    "field map {}: the file has no column {} (its columns: {})": "字段对应 {}：文件中没有列 {}（其列：{}）",
    "field map {}: another column is mapped onto {}": "字段对应 {}：已有另一列对应到 {}",
    "{} text is always UTF-8; --encoding applies to Shapefile and CSV": "{} 文本总是 UTF-8 编码；编码选项只用于 Shapefile 和 CSV",
    "coordinates ({}, {}) – ({}, {}) are outside CGCS2000 lon/lat of China{}":
        "坐标 ({}, {}) – ({}, {}) 超出中国范围的 CGCS2000 经纬度{}",
    "coordinates ({}, {}) – ({}, {}) are outside CGCS2000 lon/lat of China":
        "坐标 ({}, {}) – ({}, {}) 超出中国范围的 CGCS2000 经纬度",
    "; they look projected (metres): give the source CRS, e.g. EPSG:4549":
        "；看起来是投影坐标（米），请指定源坐标系，如 EPSG:4549",
    # -- editing tools (app/editing/ops.py) and select by expression (app/editing/expression.py) --
    "Draw a single line": "请只绘制一条线",
    "Only lines and polygons can be split": "只能分割线要素或面要素",
    "The line does not cut the feature: draw it across the whole shape": "该线没有切开要素：请绘制一条完整穿过图形的线",
    "Select at least two features to merge": "请至少选择两个要素进行合并",
    "Only lines or polygons of one layer can be merged": "只能合并同一图层的线要素或面要素",
    "The reshaped outline crosses itself: draw the line again": "修整后的边界自相交：请重新绘制",
    "The line must start and end on the feature's outline": "线的起点和终点必须在要素边界上（或穿过边界）",
    "The expression is empty": "表达式为空",
    "The expression must be a condition, e.g. TBMJ > 300000": "表达式必须是条件，例如 TBMJ > 300000",
    "Unclosed quote at position {}": "引号未闭合（第 {} 个字符）",
    "Unexpected character {} at position {}": "无法识别的字符 {}（第 {} 个字符）",
    "Incomplete expression at position {}": "表达式不完整（第 {} 个字符）",
    "Expected {} at position {}": "此处应为 {}（第 {} 个字符）",
    "Unexpected {} at position {}": "此处不应出现 {}（第 {} 个字符）",
    "Expected LIKE or IN at position {}": "NOT 之后应为 LIKE 或 IN（第 {} 个字符）",
    "Unknown field {} at position {}": "未知字段 {}（第 {} 个字符）",
    "Cannot compare a condition with a value at position {}": "不能将条件与值比较（第 {} 个字符）",
    "{} needs a condition at position {}": "{} 需要条件（第 {} 个字符）",
    "{} needs a number at position {}": "{} 需要数值（第 {} 个字符）",
    "{} needs text at position {}": "{} 需要文本（第 {} 个字符）",
    "{} needs numbers at position {}; join text with ||": "{} 需要数值（第 {} 个字符）；连接文本请用 ||",
    "{} needs numbers at position {}": "{} 需要数值（第 {} 个字符）",
    # -- basemap (app/basemap/sources.py) --
    "Not an MBTiles file: {}": "不是 MBTiles 文件：{}",
    "No tiles laid out as z/x/y in {}": "{} 中没有按 z/x/y 组织的瓦片",
    "Not an http(s) address: {}": "不是 http(s) 地址：{}",
    "The basemap server {} cannot be reached": "无法连接底图服务器 {}：请检查网络或地址",
    "The basemap server {} answered without an image (HTTP {})": "底图服务器 {} 未返回图像（HTTP {}）",
    "Basemap file not found: {}": "找不到底图文件：{}",
    "A tile address needs the z, x and y placeholders: {}": "瓦片地址须包含 z、x、y 占位符：{}",
    "A WMS basemap needs a layer name": "WMS 底图须填写图层名",
    # -- plan text and publishing (app/editing/content_jobs.py) --
    "choose at least one output to build": "请至少选择一种输出",
    "cannot create {}: {}": "无法创建 {}：{}",
    # -- editing tools, expressions, colour tables, basemaps and history --
    "not a colour table of format {}: {}": "不是 {} 格式的颜色表：{}",
    "Vector MBTiles are not supported, only image tiles: {}": "不支持矢量 MBTiles，仅支持图片瓦片：{}",
    "Only features of one layer can be merged": "只能合并同一图层的要素",
    "Features of different owners cannot be merged: {}": "不同所属方的要素不能合并：{}",
    "{} is computed from the geometry and cannot be set": "{} 由几何图形计算得出，不能直接设置",
    # -- publishing: safeguards, fonts, production sheet (app/reports/safeguards.py, fonts.py, metadata.py) --
    'cannot write the production sheet {}: {}':
        '无法写入生产记录单 {}：{}',
    'no CJK font found; install it with: apt-get install {}':
        '未找到中文字体，请用以下命令安装：apt-get install {}',
    "this is {}'s copy, with only its own part of the plan: build from the coordinator's project, or ask for a partial draft (--partial)":
        '这是{}的副本，只含本方的规划内容：请用协同办公室（统筹方）的项目生成，或明确要求生成部分草稿（--partial）',
    "this is {}'s copy, with only its own part of the plan; {} cities have no data in it: build from the coordinator's project, or ask for a partial draft (--partial)":
        '这是{}的副本，只含本方的规划内容，其中 {} 个城市没有数据：请用协同办公室（统筹方）的项目生成，或明确要求生成部分草稿（--partial）',
    "a partial draft cannot be published: publish from the coordinator's project":
        '部分草稿不能发布：请从协同办公室（统筹方）的项目发布',
    'the project has {} uncommitted change(s): commit and push them before publishing':
        '项目有 {} 处未提交的修改：请先提交并推送，再发布',
    '{} committed change set(s) are not on the server yet: push them before publishing':
        '有 {} 个已提交的变更集尚未推送到服务器：请先推送，再发布',
    '{} section(s) of the {} output have no text (first: {}): write them or leave them out of the output':
        '{} 个章节在{}成果中没有正文（第一个：{}）：请补写正文，或将其移出该成果',
    '{} map(s) of the {} output have nothing to draw (first: {})':
        '{} 幅地图在{}成果中没有可绘制的内容（第一幅：{}）',
    '{} version {} is already published with other content; publish it as a new version':
        '{} 第 {} 版已以不同内容发布过；请以新版本号发布',
    '{} version {} was built from content that has changed since; build it again before publishing':
        '{} 第 {} 版生成后内容已有变化；请重新生成后再发布',
    'the {} output has nothing to print: none of its {} sections has any text yet':
        '{}成果没有可印制的内容：其 {} 个章节都还没有正文',
    'the one map has nothing to draw: none of its layers has a feature in this project':
        '一张图没有可绘制的内容：本项目中其图层都没有要素',
    "the upload is a partial draft (one party's content only) and cannot be published":
        '上传的文件是部分草稿（仅含一方内容），不能发布',
    'the edition refers to data version {}, but the server is at version {}':
        '该版本引用的数据版本为 {}，但服务器当前为版本 {}',
    'cannot write {}: its folder does not exist':
        '无法写入 {}：所在文件夹不存在',
}
CATALOGUE.update(REVIEW)  # comment rounds, in their own file (app/review/message_catalogue.py)
CATALOGUE.update(DATA)  # data in and out, integrity, quality checks, check-in (app/project/)
CATALOGUE.update(IMPLEMENT)  # implementation tracking (app/implement/)
CATALOGUE.update(ANALYSIS)  # conflict statuses, five-year evaluation (app/analysis/)

# English messages whose wording is for the CLI: the desktop's English instead.
EN_DESKTOP: dict[str, str] = {
    "invalid geometry: {} (make_valid can repair it)":
        "invalid geometry: {}; move the vertices so the outline does not cross or overlap itself",
    "not logged in to {}; run: coplan login {} --user NAME":
        "not logged in to {0}: enter your user name and password in the Sync panel and log in",
    "the server refused change set {} \"{}\": {}. Later change sets wait behind it. See `coplan outbox`; "
    "`coplan drop PROJECT {}` takes it off this copy so sync goes on / 服务器拒绝了变更集 {}：可用 coplan "
    "outbox 查看，coplan drop 撤下后继续同步":
        "the server refused change set {0} \"{1}\": {2}. Later change sets wait behind it: choose it "
        "in the Sync panel's waiting list and drop it to let sync go on",
    "this copy is read-only (role {}): it follows the server and cannot commit edits / 此副本为只读，不能提交修改":
        "this copy is read-only (role {}): it follows the server and cannot save or commit edits",
    "no such project file: {} (build it: python -m sample_projects.build)": "no such project file: {}",
    "SpatiaLite is not installed (mod_spatialite); on Debian: apt-get install libsqlite3-mod-spatialite":
        "SpatiaLite (mod_spatialite) is not installed: ask your administrator to install it",
}

# GEOS validity reasons (shapely.is_valid_reason) -> (Chinese, English for planners).
GEOS_REASONS: dict[str, tuple[str, str]] = {
    "self-intersection": ("边界自相交", "the outline crosses itself"),
    "ring self-intersection": ("环自相交", "a ring touches itself"),
    "too few points": ("顶点过少", "too few vertices"),
    "invalid coordinate": ("坐标无效", "an invalid coordinate"),
    "hole lies outside shell": ("内环位于外环之外", "a hole lies outside the outline"),
    "nested holes": ("内环相互嵌套", "holes are nested"),
    "interior is disconnected": ("内部被分割为不相连的部分", "the inside is cut into pieces"),
    "nested shells": ("多个外环相互嵌套", "outlines are nested"),
    "duplicate rings": ("存在重复的环", "a ring is repeated"),
    "ring is not closed": ("环未闭合", "a ring is not closed"),
    "too few points in geometry component": ("某部分顶点过少", "a part has too few vertices"),
}
