<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../attribute_table.py" line="115" />
        <source>Owner</source>
        <translation>所属方</translation>
    </message>
    <message>
        <location filename="../attribute_table.py" line="128" />
        <location filename="../feature_form.py" line="154" />
        <source>Read-only: this feature belongs to party {} {}</source>
        <translation>只读：该要素属于参与方 {} {}</translation>
    </message>
    <message>
        <location filename="../attribute_table.py" line="206" />
        <source>Filter rows…</source>
        <translation>筛选行…</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="23" />
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="23" />
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="23" />
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="27" />
        <source>not pushed</source>
        <translation>未推送</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="27" />
        <source>pushed</source>
        <translation>已推送</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="27" />
        <source>from others</source>
        <translation>来自他方</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="63" />
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="63" />
        <location filename="../io_dialogs.py" line="58" />
        <location filename="../layer_tree.py" line="63" />
        <location filename="../layer_tree.py" line="73" />
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="63" />
        <source>Feature</source>
        <translation>要素</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="63" />
        <source>Columns</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <source>Party</source>
        <translation>参与方</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <location filename="../main_window.py" line="139" />
        <source>Changes</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="65" />
        <source>Describe the changes to commit…</source>
        <translation>填写本次提交的说明…</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="66" />
        <source>Commit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="67" />
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="68" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="72" />
        <location filename="../change_log.py" line="77" />
        <source>Pending changes: {}</source>
        <translation>待提交变更：{}</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="29" />
        <source>Ancestor</source>
        <translation>共同祖先</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="29" />
        <source>Ours (server)</source>
        <translation>我方（服务器）</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="29" />
        <source>Theirs (pushed)</source>
        <translation>对方（推送）</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="45" />
        <source>geometry, {} vertices</source>
        <translation>几何，{} 个节点</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="68" />
        <source>no geometry</source>
        <translation>无几何</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="135" />
        <source>Column</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="136" />
        <source>Keep ancestor</source>
        <translation>保留原值</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="136" />
        <source>Keep ours</source>
        <translation>保留我方</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="136" />
        <source>Take theirs</source>
        <translation>采用对方</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="146" />
        <source>Conflict #{} · {} · {} · party {}</source>
        <translation>冲突 #{} · {} · {} · 参与方 {}</translation>
    </message>
    <message>
        <location filename="../conflict_view.py" line="148" />
        <source>Select a conflict to compare the versions.</source>
        <translation>选择一个冲突以对比各版本。</translation>
    </message>
    <message>
        <location filename="../feature_form.py" line="119" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../feature_form.py" line="120" />
        <location filename="../sync_panel.py" line="113" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../feature_form.py" line="147" />
        <source>Select a feature, or draw one, to see its attributes.</source>
        <translation>选择或绘制一个要素以查看其属性。</translation>
    </message>
    <message>
        <location filename="../feature_form.py" line="149" />
        <source>New feature</source>
        <translation>新要素</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="37" />
        <source>Export layer</source>
        <translation>导出图层</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="37" />
        <source>Import into layer</source>
        <translation>导入到图层</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="42" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="44" />
        <source>Skip bad rows (listed in the report)</source>
        <translation>跳过错误行（列于报告中）</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="50" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="50" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="62" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../io_dialogs.py" line="101" />
        <source>Exported {} feature(s)</source>
        <translation>已导出 {} 个要素</translation>
    </message>
    <message>
        <location filename="../layer_tree.py" line="63" />
        <location filename="../layer_tree.py" line="73" />
        <source>Features</source>
        <translation>要素</translation>
    </message>
    <message>
        <location filename="../layer_tree.py" line="98" />
        <source> (schematic)</source>
        <translation>（示意）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="40" />
        <source>editor</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="40" />
        <source>coordinator</source>
        <translation>协调</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="138" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="138" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="138" />
        <location filename="../menus.py" line="30" />
        <location filename="../sync_panel.py" line="110" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139" />
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="149" />
        <source>CoPlan metro-area joint planning</source>
        <translation>CoPlan 都市圈协同规划</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153" />
        <source>Party {} {} ({})</source>
        <translation>参与方 {} {}（{}）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="154" />
        <source>lon —  lat —</source>
        <translation>经度 —  纬度 —</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>Loading {}…</source>
        <translation>正在加载 {}…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183" />
        <location filename="../menus.py" line="24" />
        <source>Open project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="184" />
        <source>CoPlan projects (*.sqlite)</source>
        <translation>CoPlan 项目 (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="208" />
        <source>Loaded {} features</source>
        <translation>已加载 {} 个要素</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="252" />
        <source>Fill in the attributes and save the new feature.</source>
        <translation>请填写属性并保存新要素。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="282" />
        <source>Some selected features belong to another party and cannot be deleted.</source>
        <translation>部分所选要素属于其他参与方，不能删除。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="307" />
        <source>lon {:.5f}°  lat {:.5f}°</source>
        <translation>经度 {:.5f}°  纬度 {:.5f}°</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="310" />
        <source>Scale 1:{:,.0f}</source>
        <translation>比例尺 1:{:,.0f}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351" />
        <source>{} finished; {} new conflict(s)</source>
        <translation>{}完成；新增冲突 {} 个</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="377" />
        <source>Conflict #{} resolved: {}</source>
        <translation>冲突 #{} 已解决：{}</translation>
    </message>
    <message>
        <location filename="../map_tools.py" line="235" />
        <source>A ring needs at least three vertices</source>
        <translation>环至少需要三个节点</translation>
    </message>
    <message>
        <location filename="../map_view.py" line="198" />
        <source>示意 schematic | boundaries and zones are schematic, not official; do not measure</source>
        <translation>示意 schematic｜边界与范围为示意，非官方界线，不可用于量算</translation>
    </message>
    <message>
        <location filename="../menus.py" line="22" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="22" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="22" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="22" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="23" />
        <source>&amp;Sync</source>
        <translation>同步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="23" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="23" />
        <source>Recent projects</source>
        <translation>最近的项目</translation>
    </message>
    <message>
        <location filename="../menus.py" line="24" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="24" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="25" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../menus.py" line="25" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../menus.py" line="25" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../menus.py" line="26" />
        <source>Delete selected features</source>
        <translation>删除所选要素</translation>
    </message>
    <message>
        <location filename="../menus.py" line="26" />
        <source>Full extent</source>
        <translation>全图</translation>
    </message>
    <message>
        <location filename="../menus.py" line="26" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../menus.py" line="27" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../menus.py" line="27" />
        <source>Zoom to layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <location filename="../menus.py" line="28" />
        <source>Zoom to selection</source>
        <translation>缩放至所选</translation>
    </message>
    <message>
        <location filename="../menus.py" line="28" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../menus.py" line="28" />
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../menus.py" line="29" />
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../menus.py" line="29" />
        <source>Draw feature</source>
        <translation>绘制要素</translation>
    </message>
    <message>
        <location filename="../menus.py" line="29" />
        <source>Edit vertices</source>
        <translation>编辑节点</translation>
    </message>
    <message>
        <location filename="../menus.py" line="30" />
        <location filename="../sync_panel.py" line="110" />
        <source>Push</source>
        <translation>推送</translation>
    </message>
    <message>
        <location filename="../menus.py" line="30" />
        <location filename="../sync_panel.py" line="110" />
        <source>Pull</source>
        <translation>拉取</translation>
    </message>
    <message>
        <location filename="../menus.py" line="30" />
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="104" />
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="105" />
        <source>Synchronise</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="106" />
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="106" />
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="106" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="106" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="109" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="114" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="128" />
        <source>Uncommitted: {}   To push: {}   Server version: {}</source>
        <translation>未提交：{}   待推送：{}   服务器版本：{}</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="132" />
        <source>Logged in as {}</source>
        <translation>已登录：{}</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="158" />
        <source>Open conflicts: {}</source>
        <translation>未解决冲突：{}</translation>
    </message>
</context>
</TS>