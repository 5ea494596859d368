"""The data in/out, integrity, quality-check and check-in part of the message catalogue
(app/message_catalogue.py): English templates of the core ({} for a variable part) and their
Chinese; data only."""

from __future__ import annotations

DATA: dict[str, str] = {
    '{} holds a single layer: drop --layer':
        '{} 只有一个图层：请去掉 --layer',
    '{}: a {} file declares its own text encoding; drop --encoding':
        '{}：{} 文件自带文本编码声明；请去掉 --encoding',
    '--x and --y name the coordinate columns of a CSV file':
        '--x 和 --y 用于指定 CSV 文件的坐标列',
    '{} is not a GeoJSON, GeoPackage, Shapefile, CSV, DXF, FileGDB or KML file ({})':
        '{} 不是 GeoJSON、GeoPackage、Shapefile、CSV、DXF、FileGDB 或 KML 文件（{}）',
    '{} has {} layers ({}); choose one with --layer NAME: {}':
        '{} 含 {} 个图层（{}）；请用 --layer 图层名 选择其一：{}',
    '{} has no layer {}; its layers: {}':
        '{} 中没有图层 {}；其图层为：{}',
    'cannot read {}: it is truncated, damaged or not a GeoJSON, GeoPackage, Shapefile, CSV, DXF, FileGDB or KML file (GDAL: {})':
        '无法读取 {}：文件不完整、已损坏，或不是 GeoJSON、GeoPackage、Shapefile、CSV、DXF、FileGDB 或 KML 文件（GDAL：{}）',
    '{} has no geometry (a CSV needs a WKT column or lon/lat, x/y or 经度/纬度 columns, or --x and --y)':
        '{} 没有几何图形（CSV 需要 WKT 列，或 lon/lat、x/y、经度/纬度 列，或用 --x 和 --y 指定坐标列）',
    '{} has no features':
        '{} 没有要素',
    '{} has no features matching --where {}':
        '{} 中没有符合 --where {} 的要素',
    "--where {}: its text cannot be written in {}, the file's encoding":
        '--where {}：其中的文字无法用文件的编码 {} 表示',
    "--where {} is not a valid filter for {} (GDAL: {}); write it like XZQDM = '320505' with the file's fields: {}":
        "--where {} 不是 {} 的有效筛选条件（GDAL：{}）；请按 XZQDM = '320505' 的形式书写，可用字段：{}",
    '{}: its coordinate reference system is undefined ({}); give the real one with --crs (e.g. EPSG:4490 lon/lat, EPSG:4549 metres)':
        '{}：坐标参考系未定义（{}）；请用 --crs 给出实际坐标系（如 EPSG:4490 经纬度，EPSG:4549 米）',
    "the file's CRS is undefined ({}); using --crs {} as given":
        '文件的坐标系未定义（{}）；按给定的 --crs {} 使用',
    'unknown text encoding {} ({}); try --encoding GBK, GB18030 or UTF-8':
        '未知的文本编码 {}（{}）；请尝试 --encoding GBK、GB18030 或 UTF-8',
    'the header of {} says code page {}':
        '{} 文件头声明代码页 {}',
    '{}, {}: not valid {} text ({}); it reads as {}: give --encoding {}':
        '{}，{}：不是有效的 {} 文本（{}）；按 {} 可正确读取：请指定 --encoding {}',
    "{}, {}: not valid {} text ({}); give the file's encoding, e.g. --encoding GBK":
        '{}，{}：不是有效的 {} 文本（{}）；请指定文件编码，如 --encoding GBK',
    '{}, {}: not valid {} text ({}); check the encoding: GB18030 covers all Chinese text; or UTF-8?':
        '{}，{}：不是有效的 {} 文本（{}）；请检查编码：GB18030 涵盖全部中文字符；或者是 UTF-8？',
    '{}, {}: {} looks like Chinese text read with the wrong encoding ({}); it reads as {}: give --encoding {}':
        '{}，{}：{} 像是用错误编码读取的中文（{}）；按 {} 可正确读取：请指定 --encoding {}',
    'give both --x and --y (the CSV columns of the coordinates)':
        '请同时给出 --x 和 --y（CSV 中的坐标列）',
    '--x and --y name the same column {}':
        '--x 和 --y 指向同一列 {}',
    '{} {}: {} has no column {} (its columns: {})':
        '{} {}：{} 中没有列 {}（现有列：{}）',
    '{}, line {}, column {}: cannot read {} as a coordinate (decimal, e.g. 120.5868 or 3400123.4, or degrees-minutes-seconds, e.g. 120°35′12.5″E or 120 35 12.5)':
        '{}，第 {} 行，{} 列：无法将 {} 识别为坐标（应为十进制数，如 120.5868 或 3400123.4，或度分秒，如 120°35′12.5″E 或 120 35 12.5）',
    '{}: --x {} holds northings and --y {} eastings (surveyors name the northing X): give --x {} --y {}':
        '{}：--x {} 是北坐标、--y {} 是东坐标（测量习惯中 X 为北坐标）：请改为 --x {} --y {}',
    '{}, CAD layer {}: {} entity(ies) that are not {}s were left out ({})':
        '{}，CAD 图层 {}：{} 个非 {} 实体未导入（{}）',
    '{}: CAD layer {} holds no {}s ({})':
        '{}：CAD 图层 {} 中没有 {}（{}）',
    '{} has no CAD layer {}; its CAD layers: {}':
        '{} 中没有 CAD 图层 {}；其 CAD 图层为：{}',
    '{} has no {} on any CAD layer; its CAD layers: {}':
        '{} 的各 CAD 图层中都没有 {}；其 CAD 图层为：{}',
    '{} has {} on {} CAD layers: choose one with --layer NAME: {}':
        '{} 的 {} 分布在 {} 个 CAD 图层上：请用 --layer 图层名 选择其一：{}',
    '{} ({}) has no datum transformation to CGCS2000 that PROJ knows: a plain conversion is tens of metres off (up to ~60 m); give the 7 parameters of your survey office with --towgs84 DX,DY,DZ,RX,RY,RZ,DS, or --transform ballpark to accept the error':
        '{}（{}）没有 PROJ 已知的到 CGCS2000 的基准转换：直接换算会偏差数十米（最多约 60 米）；请用 --towgs84 DX,DY,DZ,RX,RY,RZ,DS 给出测绘部门提供的七参数，或用 --transform ballpark 接受该误差',
    '{} converted to CGCS2000 WITHOUT a datum shift (--transform ballpark): positions may be tens of metres off':
        '{} 未经基准转换直接换算到 CGCS2000（--transform ballpark）：位置可能偏差数十米',
    'the source is already {} (CGCS2000): drop --towgs84 / --transform':
        '源数据已是 {}（CGCS2000）：请去掉 --towgs84 / --transform',
    "datum transformation {}: give 3 or 7 numbers (dx,dy,dz in m[,rx,ry,rz in arc-seconds,ds in ppm]) or 'ballpark'":
        "基准转换 {}：请给出 3 个或 7 个数（dx,dy,dz 单位米[,rx,ry,rz 单位角秒,ds 单位 ppm]）或 'ballpark'",
    'give either --towgs84 or --transform, not both':
        '--towgs84 与 --transform 只能给出其一',
    '{}: field name(s) {} are longer than {} characters, the Shapefile limit; export to GeoPackage':
        '{}：字段名 {} 超过 Shapefile 允许的 {} 个字符；请导出为 GeoPackage',
    '{} text value(s) do not fit their Shapefile field: {}{}; --truncate cuts them, --split continues them in FIELD_2, FIELD_3 … columns, or export to GeoPackage (no limit)':
        '{} 个文本值超出其 Shapefile 字段：{}{}；--truncate 截短，--split 续写到 FIELD_2、FIELD_3 … 列，或导出为 GeoPackage（无长度限制）',
    '{}.{} of feature {} is {} characters, {}, {}':
        '要素 {2} 的 {0}.{1} 有 {3} 个字符（{4}），{5}',
    '{}.{} of feature {} is {} characters, {}, {}: {}':
        '要素 {2} 的 {0}.{1} 有 {3} 个字符（{4}），{5}：{6}',
    'a Shapefile field holds {}':
        'Shapefile 字段最多 {} 字节',
    'the catalogue allows {} characters':
        '目录规定最多 {} 个字符',
    'cannot split {} into {}: the layer has a field {}':
        '无法把 {} 续写到 {}：图层已有字段 {}',
    'no layer to export: name one or more layers':
        '没有要导出的图层：请指定一个或多个图层',
    '{}: several layers go into one GeoPackage (.gpkg); a {} file holds one layer':
        '{}：多个图层只能导出到一个 GeoPackage（.gpkg）；{} 文件只能容纳一个图层',
    'long text: choose one of {}, not {}':
        '过长文本的处理方式只能是 {} 之一，不能是 {}',
    '{}.{} of feature {} cannot be written in {}; export in UTF-8 or GB18030':
        '要素 {2} 的 {0}.{1} 无法用 {3} 编码写出；请用 UTF-8 或 GB18030 导出',
    'give LAYER FILE, or FILE with --layers A,B or --all':
        '请给出 图层 文件，或者 文件 加 --layers A,B 或 --all',
    'exported {} feature(s) to {}':
        '已导出 {} 个要素到 {}',
    'exported {} feature(s) of {} layers to {}: {}':
        '已导出 {} 个要素（{} 个图层）到 {}：{}',
    'changed {} long text value(s) to fit Shapefile fields:':
        '为适应 Shapefile 字段，修改了 {} 个过长的文本值：',
    'cut to {} characters, {} bytes':
        '截短为 {} 个字符、{} 字节',
    'split into {}':
        '续写到 {}',
    '{} bytes in {}':
        '{1} 编码 {0} 字节',
    'FID {} (BSM {})':
        'FID {}（BSM {}）',
    '{} feature(s) of {} not in the file were left alone (an update never deletes)':
        '图层 {1} 中有 {0} 个要素不在文件中，保持不变（更新从不删除要素）',
    'source field(s) matched by {}: {}':
        '按{}匹配的源字段：{}',
    'name ignoring case':
        '名称（不区分大小写）',
    'Chinese label':
        '中文名称',
    'English label':
        '英文名称',
    '{} set to {} on every row':
        '每一行的 {} 均设为 {}',
    'repaired {} invalid geometry(ies) with make_valid: FID {}':
        '已用 make_valid 修复 {} 个无效几何图形：FID {}',
    'source column(s) not imported: {}':
        '未导入的源字段：{}',
    'warning: {}':
        '警告：{}',
    'updated {} and inserted {} of {} feature(s) from {} into {} by {} ({} unchanged; source CRS {})':
        '已从 {3} 按 {5} 更新图层 {4} 的 {0} 个要素、新增 {1} 个（文件共 {2} 个要素，{6} 个未变；源坐标系 {7}）',
    'imported {} of {} feature(s) from {} into {} (source CRS {})':
        '已从 {2} 向图层 {3} 导入 {0} 个要素（文件共 {1} 个；源坐标系 {4}）',
    'skipped {} bad row(s) (rows are FIDs {}):':
        '跳过 {} 个问题行（行号为 FID，{}）：',
    "the GeoPackage's own fid":
        '即 GeoPackage 自身的 fid',
    'from 0, as QGIS shows it':
        '从 0 开始，与 QGIS 显示一致',
    'every bad row is listed in {}':
        '所有问题行均列于 {}',
    '... and {} more: --report FILE.csv lists every one':
        '……另有 {} 行：用 --report 文件.csv 可列出全部',
    '{}: {} of {} row(s) are bad, nothing was imported':
        '{0}：共 {2} 行，其中 {1} 行有问题，未导入任何要素',
    '... and {} more':
        '……另有 {} 行',
    '--make-valid can repair the {} invalid geometry(ies)':
        '--make-valid 可修复其中 {} 个无效几何图形',
    '--skip-invalid imports the good rows':
        '--skip-invalid 可只导入无问题的行',
    '--report FILE.csv lists every bad row':
        '--report 文件.csv 可列出所有问题行',
    'the import report must be a .json or .csv file, not {}':
        '导入报告须为 .json 或 .csv 文件，而不是 {}',
    'cannot write the import report {}: folder {} does not exist':
        '无法写入导入报告 {}：文件夹 {} 不存在',
    '--update-by takes uuid or BSM, not {}':
        '--update-by 须为 uuid 或 BSM，而不是 {}',
    'layer {} has no BSM field: use --update-by uuid':
        '图层 {} 没有 BSM 字段：请用 --update-by uuid',
    '--update-by uuid: {} has no uuid column (files exported from CoPlan have one); use --update-by BSM':
        '--update-by uuid：{} 没有 uuid 列（从 CoPlan 导出的文件才有）：请用 --update-by BSM',
    '--set {}={}: layer {} has no field {} (its fields: {})':
        '--set {}={}：图层 {} 没有字段 {}（其字段为：{}）',
    '--set {}={}: {} is computed from the geometry':
        '--set {}={}：{} 由几何图形计算得出，不能设定',
    "--set {}={} replaces the file's column for {}":
        '--set {}={} 取代了文件中 {} 对应的列',
    '--set takes FIELD=VALUE, got {}':
        '--set 的格式为 字段=值，收到的是 {}',
    '{} row(s) carry the uuid of a feature already in {}: they were added as copies; --update-by uuid updates the features instead':
        '有 {} 行带有图层 {} 中已有要素的 uuid：它们被作为副本新增；用 --update-by uuid 可改为更新这些要素',
    'cannot write the QC report {}: {}':
        '无法写入质检报告 {}：{}',
    "the project has a table {} that is not CoPlan's layer {} ({}); rename that table to open the project":
        '项目中已有一个名为 {} 的表，但它不是 CoPlan 的图层 {}（{}）：请先将该表改名再打开项目',
    'the project needs new catalogue fields ({}) but is read-only: {}':
        '项目需要添加图层目录中的新字段（{}），但项目为只读：{}',
    "{} uses {}, which this CoPlan's layer catalogue ({}) does not have: update CoPlan, then sync again":
        '{} 含有 {}，本 CoPlan 的图层目录（{}）中没有：请更新 CoPlan 后再同步',
    'commit refused: {} problem(s) in the pending changes: {}{} (coplan validate lists them; a coordinator may commit --force)':
        '提交被拒绝：待提交的修改中有 {} 个问题：{}{}（coplan validate 可列出全部；协调方可用 --force 强制提交）',
    '; ... and {} more':
        '；……另有 {} 个',
    "only a coordinator may commit --force (this copy's role is {})":
        '只有协调方可以强制提交（--force）（此副本的角色为 {}）',
    'the feature belongs to party {}; party {} may not change it':
        '该要素属于 {}，{} 不能修改',
    "{} is {} but the geometry's geodesic area is {} m² (coplan audit recomputes it)":
        '{} 为 {}，但几何的椭球面积为 {} m²（coplan audit 可重新计算）',
    "{} is {} but the geometry's geodesic length is {} m (coplan audit recomputes it)":
        '{} 为 {}，但几何的椭球长度为 {} m（coplan audit 可重新计算）',
    'true or false':
        '只能为 true 或 false',
    'forced: committed over failed checks (recorded in the change set)':
        '已强制提交：未通过检查的修改已提交（已记录在变更集中）',
    'found: {}':
        '发现：{}',
    'done:  {}':
        '处理：{}',
    "{} feature(s) changed outside CoPlan's change capture; now pending":
        '{} 个要素在 CoPlan 变更捕获之外被修改，现已列为待提交修改',
    '{}: the table is missing':
        '{}：图层表缺失',
    "{}: the table is not in CoPlan's layout (rewritten by another tool)":
        '{}：图层表不是 CoPlan 的结构（已被其他软件重写）',
    '{}: change capture was switched off (triggers missing)':
        '{}：变更捕获已被关闭（触发器缺失）',
    '{}: change capture reinstalled':
        '{}：已重新安装变更捕获',
    "rebuilt in CoPlan's layout with {} feature(s)":
        '已按 CoPlan 的结构重建，共 {} 个要素',
    'rebuilt with {} feature(s); {} row(s) without a usable geometry were left out (kept in table {})':
        '已重建，共 {} 个要素；{} 行没有可用的几何，未导入（保留在表 {} 中）',
    'an empty table was recreated; the features of the last commit are pending deletes':
        '已重建空图层表；上次提交的要素列为待提交的删除',
    '{}: could not be repaired ({})':
        '{}：无法修复（{}）',
    '{}: could not be rebuilt ({})':
        '{}：无法重建（{}）',
    '{}: not repaired, the project is read-only':
        '{}：未修复，项目为只读',
    '{}: {} feature(s) written with capture bypassed':
        '{}：{} 个要素在绕过变更捕获的情况下被写入',
    '{}: {} feature(s) now pending':
        '{}：{} 个要素现列为待提交修改',
    '{} feature(s) had stale areas or lengths':
        '{} 个要素的面积或长度已过时',
    'recomputed the areas/lengths of {} feature(s); now pending':
        '已重新计算 {} 个要素的面积/长度，现列为待提交修改',
    '{} was changed by another tool; open the project writable to repair it':
        '{} 已被其他软件修改；请以可写方式打开项目以修复',
    'role {} cannot submit data for check-in':
        '角色 {} 不能提交数据质检入库',
    'only coordinators accept submissions':
        '只有协调人可以确认入库',
    'only coordinators return submissions':
        '只有协调人可以退回提交',
    'only coordinators run QC on a submission':
        '只有协调人可以对提交重新质检',
    'request {} was already used with a different request':
        '请求 {} 已用于另一项不同的请求',
    'party {} has no data on the server at version {}; push your data first':
        '单位 {} 在服务器版本 {} 中没有数据，请先推送数据',
    'submission {} has {} QC error(s); return it, or accept it anyway with --force':
        '第 {} 次提交有 {} 个质检错误：请退回，或用 --force 强制入库',
    'a returned submission needs a note saying what to fix':
        '退回提交时须附说明，写明需要修改的内容',
    'submission {} was already accepted':
        '第 {} 次提交已入库',
    'submission {} was already returned':
        '第 {} 次提交已退回',
    'submission {} was replaced by a later submission of its party':
        '第 {} 次提交已被该单位后来的提交替代',
    'no submission {}':
        '没有第 {} 次提交',
    'version {} is not on the server (its head is {})':
        '服务器上没有版本 {}（最新版本为 {}）',
    'party {} pushed version {} after {}: sync and submit again':
        '单位 {} 已推送版本 {}（晚于版本 {}）：请先同步再提交',
    'this copy has uncommitted changes: commit and sync them (or discard them) first; a submission is the data the server holds':
        '本副本有未提交的修改：请先提交并同步（或放弃修改）；质检入库提交的是服务器上的数据',
    'this copy has {} change set(s) the server does not hold yet: run coplan sync first; a submission is the data the server holds':
        '本副本有 {} 个变更集尚未同步到服务器：请先运行 coplan sync；质检入库提交的是服务器上的数据',
    'this copy has not synced any version yet: sync first':
        '本副本尚未同步任何版本：请先同步',
    'this CoPlan cannot write QC report files; use --json for the findings':
        '此版本的 CoPlan 无法生成质检报告文件，请用 --json 获取质检结果',
    'a QC report is saved as .pdf, .xlsx or .json, not {}':
        '质检报告须保存为 .pdf、.xlsx 或 .json 文件，而不是 {}',
    '{} problem(s)':
        '共 {} 个问题',
}
