<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../attribute_table.py" line="115" />
        <location filename="../content_panel.py" line="91" />
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
        <location filename="../indicator_dashboard.py" line="99" />
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
        <location filename="../review_panel.py" line="48" />
        <location filename="../review_panel.py" line="212" />
        <location filename="../signoff_dialog.py" line="106" />
        <source>Party</source>
        <translation>参与方</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <location filename="../signoff_dialog.py" line="107" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../change_log.py" line="64" />
        <location filename="../main_window.py" line="168" />
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
        <location filename="../check_panel.py" line="35" />
        <source>overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="35" />
        <source>gap at the border</source>
        <translation>市界处断开</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="35" />
        <source>offset at the border</source>
        <translation>市界处错位</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="36" />
        <source>dead end at the border</source>
        <translation>市界处断头</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="40" />
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="40" />
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="103" />
        <source>Open project</source>
        <translation>当前项目</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="104" />
        <source>Several project files</source>
        <translation>多个项目文件</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="105" />
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="106" />
        <source>Run check</source>
        <translation>运行检查</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="107" />
        <location filename="../comment_dialog.py" line="113" />
        <location filename="../feature_form.py" line="120" />
        <location filename="../publish_dialog.py" line="157" />
        <location filename="../sync_panel.py" line="113" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="108" />
        <source>Send to comment round…</source>
        <translation>提交至意见征询…</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="109" />
        <source>Send to party…</source>
        <translation>发给参与方…</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="110" />
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="110" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="110" />
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="110" />
        <source>Parties</source>
        <translation>相关方</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="111" />
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="111" />
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="123" />
        <source>Choose project files</source>
        <translation>选择项目文件</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="190" />
        <source>No check run yet.</source>
        <translation>尚未运行检查。</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="194" />
        <source>{} conflicts ({} errors) in the projects of {}</source>
        <translation>{} 处冲突（其中错误 {} 处），检查范围：{} 的项目</translation>
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
        <location filename="../signoff_dialog.py" line="101" />
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
        <location filename="../publish_dialog.py" line="159" />
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
        <location filename="../main_window.py" line="53" />
        <source>editor</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="53" />
        <source>coordinator</source>
        <translation>协调</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167" />
        <location filename="../menus.py" line="30" />
        <location filename="../sync_panel.py" line="110" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="168" />
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="168" />
        <location filename="../menus.py" line="31" />
        <location filename="../round_dashboard.py" line="85" />
        <location filename="../round_dashboard.py" line="86" />
        <source>Comments</source>
        <translation>意见</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169" />
        <location filename="../menus.py" line="34" />
        <source>Conflict check</source>
        <translation>冲突检查</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169" />
        <location filename="../menus.py" line="33" />
        <location filename="../review_panel.py" line="209" />
        <source>Round dashboard</source>
        <translation>征询轮次看板</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170" />
        <location filename="../menus.py" line="35" />
        <source>Indicators</source>
        <translation>体检指标</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="174" />
        <source>Plan text</source>
        <translation>规划文本</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183" />
        <source>CoPlan metro-area joint planning</source>
        <translation>CoPlan 都市圈协同规划</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="187" />
        <source>Party {} {} ({})</source>
        <translation>参与方 {} {}（{}）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="188" />
        <source>lon —  lat —</source>
        <translation>经度 —  纬度 —</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="206" />
        <source>Loading {}…</source>
        <translation>正在加载 {}…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="217" />
        <location filename="../menus.py" line="24" />
        <source>Open project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location filename="../check_panel.py" line="124" />
        <location filename="../main_window.py" line="218" />
        <source>CoPlan projects (*.sqlite)</source>
        <translation>CoPlan 项目 (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="243" />
        <source>Loaded {} features</source>
        <translation>已加载 {} 个要素</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="288" />
        <source>Fill in the attributes and save the new feature.</source>
        <translation>请填写属性并保存新要素。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="318" />
        <source>Some selected features belong to another party and cannot be deleted.</source>
        <translation>部分所选要素属于其他参与方，不能删除。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="347" />
        <source>lon {:.5f}°  lat {:.5f}°</source>
        <translation>经度 {:.5f}°  纬度 {:.5f}°</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="350" />
        <source>Scale 1:{:,.0f}</source>
        <translation>比例尺 1:{:,.0f}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="391" />
        <source>{} finished; {} new conflict(s)</source>
        <translation>{}完成；新增冲突 {} 个</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="419" />
        <source>Conflict #{} resolved: {}</source>
        <translation>冲突 #{} 已解决：{}</translation>
    </message>
    <message>
        <location filename="../map_tools.py" line="235" />
        <source>A ring needs at least three vertices</source>
        <translation>环至少需要三个节点</translation>
    </message>
    <message>
        <location filename="../map_view.py" line="226" />
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
        <location filename="../section_editor.py" line="185" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../menus.py" line="25" />
        <location filename="../section_editor.py" line="186" />
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
        <location filename="../menus.py" line="31" />
        <source>&amp;Review</source>
        <translation>意见征询(&amp;R)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="31" />
        <source>New comment on selection…</source>
        <translation>就所选要素提意见…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="32" />
        <location filename="../review_panel.py" line="208" />
        <source>Review sync</source>
        <translation>意见同步</translation>
    </message>
    <message>
        <location filename="../menus.py" line="32" />
        <location filename="../review_panel.py" line="223" />
        <source>Open review archive…</source>
        <translation>打开意见档案…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="33" />
        <source>Joint sign-off…</source>
        <translation>会签…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="34" />
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="35" />
        <source>Check several projects…</source>
        <translation>多项目联合检查…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="36" />
        <source>&amp;Plan text</source>
        <translation>规划文本(&amp;P)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="36" />
        <source>Edit plan text</source>
        <translation>编辑规划文本</translation>
    </message>
    <message>
        <location filename="../menus.py" line="37" />
        <source>Publish outputs…</source>
        <translation>发布成果…</translation>
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
        <location filename="../round_dashboard.py" line="83" />
        <location filename="../sync_panel.py" line="114" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="84" />
        <location filename="../section_editor.py" line="178" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="84" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="84" />
        <source>Visibility</source>
        <translation>可见范围</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="85" />
        <source>Due</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="106" />
        <source>&lt;b&gt;{}&lt;/b&gt; comments · adoption rate &lt;b&gt;{}&lt;/b&gt; · {} adopted · {} open · {} awaiting confirmation · {} invitations unanswered ({} overdue)</source>
        <translation>意见 &lt;b&gt;{}&lt;/b&gt; 条 · 采纳率 &lt;b&gt;{}&lt;/b&gt; · 采纳 {} 条 · 待办 {} 条 · 待确认 {} 条 · 未回复征询 {} 个（逾期 {} 个）</translation>
    </message>
    <message>
        <location filename="../round_dashboard.py" line="112" />
        <source>Not answered: {}</source>
        <translation>未回复：{}</translation>
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
    <message>
        <location filename="../sync_panel.py" line="160" />
        <source>(changed since: look again)</source>
        <translation>（已再次修改：请重新查看）</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="150" />
        <source>refused: {}</source>
        <translation>被拒绝：{}</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="150" />
        <source>sent, not pulled back</source>
        <translation>已发送，尚未拉回</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="150" />
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="150" />
        <source>Waiting to be echoed by the server</source>
        <translation>等待服务器确认</translation>
    </message>
    <message>
        <location filename="../sync_panel.py" line="150" />
        <source>Drop refused change set</source>
        <translation>撤下被拒绝的变更集</translation>
    </message>
    <message>
        <location filename="../analysis_docks.py" line="80" />
        <source>Only coordinators check several projects together.</source>
        <translation>只有协调人可以联合检查多个项目。</translation>
    </message>
    <message>
        <location filename="../analysis_docks.py" line="91" />
        <source>Check finished: {} conflicts.</source>
        <translation>检查完成：{} 处冲突。</translation>
    </message>
    <message>
        <location filename="../analysis_docks.py" line="138" />
        <source>Recorded the {} check-up ({} rows).</source>
        <translation>已记录 {} 年度体检（{} 行）。</translation>
    </message>
    <message>
        <location filename="../chart_view.py" line="23" />
        <source>Click to see the chart at full size</source>
        <translation>点击查看原尺寸图表</translation>
    </message>
    <message>
        <location filename="../chart_view.py" line="50" />
        <source>Chart</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="103" />
        <source>New comment</source>
        <translation>新意见</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="104" />
        <location filename="../review_panel.py" line="48" />
        <location filename="../review_panel.py" line="212" />
        <location filename="../round_dashboard.py" line="84" />
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="104" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="104" />
        <location filename="../review_panel.py" line="49" />
        <location filename="../review_panel.py" line="216" />
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="106" />
        <source>Anchors (map features, areas, clauses)</source>
        <translation>锚点（地图要素、区域、条款）</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="107" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="108" />
        <source>Anchor to a clause</source>
        <translation>锚定到条款</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="109" />
        <location filename="../disposition_editor.py" line="116" />
        <source>Section id, e.g. S3.2</source>
        <translation>章节编号，如 S3.2</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="110" />
        <source>Quoted text</source>
        <translation>引用原文</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="111" />
        <source>Add clause</source>
        <translation>添加条款</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="112" />
        <source>Save to outbox</source>
        <translation>保存到发件箱</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="122" />
        <source>A clause anchor needs a section id (letters, digits, . _ -) and the quoted text.</source>
        <translation>条款锚点需要章节编号（字母、数字、. _ -）和引用原文。</translation>
    </message>
    <message>
        <location filename="../comment_dialog.py" line="157" />
        <source>Write the comment.</source>
        <translation>请填写意见。</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="33" />
        <source>"Not adopted" needs a reason code.</source>
        <translation>“未采纳”需要选择理由。</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="34" />
        <source>An adoption needs change references (change sets or text revisions).</source>
        <translation>采纳需要修改依据（变更集或文本修订）。</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="35" />
        <source>Write the answer to the party.</source>
        <translation>请填写给参与方的答复。</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="105" />
        <location filename="../review_panel.py" line="48" />
        <location filename="../review_panel.py" line="216" />
        <source>Disposition</source>
        <translation>处理意见</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="105" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="105" />
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="106" />
        <source>Change references</source>
        <translation>修改依据</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="106" />
        <source>Meeting memo</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="113" />
        <source>(no reason)</source>
        <translation>（无理由）</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="117" />
        <source>Revision</source>
        <translation>修订版本</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="118" />
        <source>Add text revision</source>
        <translation>添加文本修订</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="119" />
        <source>Decide</source>
        <translation>决定</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="170" />
        <source>Text {} revision {}</source>
        <translation>文本 {} 修订 {}</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="173" />
        <source>Change set {}</source>
        <translation>变更集 {}</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="174" />
        <source>(not pushed)</source>
        <translation>（未推送）</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="183" />
        <location filename="../review_panel.py" line="386" />
        <source>Published answer</source>
        <translation>已发布答复</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="185" />
        <location filename="../review_panel.py" line="388" />
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="186" />
        <location filename="../review_panel.py" line="388" />
        <source>Recommendation</source>
        <translation>建议处理意见</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="191" />
        <source>Only coordinators decide dispositions; shown read-only.</source>
        <translation>只有协调人可以决定处理意见；此处只读。</translation>
    </message>
    <message>
        <location filename="../disposition_editor.py" line="214" />
        <source>A text revision needs a section id and a revision.</source>
        <translation>文本修订需要章节编号和修订版本。</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="94" />
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="95" />
        <location filename="../indicator_dashboard.py" line="98" />
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="96" />
        <source>Run check-up</source>
        <translation>运行体检</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="97" />
        <source>Record this year</source>
        <translation>记录本年度</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="98" />
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="98" />
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="98" />
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="99" />
        <source>Previous</source>
        <translation>上年值</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="99" />
        <source>Value</source>
        <translation>本年值</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="99" />
        <source>Target</source>
        <translation>目标值</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="100" />
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="91" />
        <location filename="../indicator_dashboard.py" line="100" />
        <location filename="../review_panel.py" line="48" />
        <location filename="../review_panel.py" line="212" />
        <location filename="../round_dashboard.py" line="86" />
        <location filename="../section_editor.py" line="178" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="91" />
        <source>Missing</source>
        <translation>缺译</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="129" />
        <source>Owner: {} ({})</source>
        <translation>牵头方：{}（{}）</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="131" />
        <source>Read-only: drafted by another party.</source>
        <translation>只读：由其他参与方起草。</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="134" />
        <location filename="../section_editor.py" line="65" />
        <source>Missing translation: {}</source>
        <translation>缺少译文：{}</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="239" />
        <source>Find a section by id or title…</source>
        <translation>按编号或标题查找章节…</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="240" />
        <source>Missing translations only</source>
        <translation>仅显示缺译章节</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="241" />
        <source>Bold: your party's sections. Grey italics: another party's, read-only. Red rows: a title or body is missing in 中 or EN. Dots: grey draft, amber for review, green final.</source>
        <translation>粗体：本方章节。灰色斜体：其他参与方章节，只读。红色行：中文（中）或英文（EN）标题或正文缺失。圆点：灰色草稿，橙色征求意见稿，绿色定稿。</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="265" />
        <source>{} sections, {} editable by your party, {} missing a translation</source>
        <translation>共 {} 个章节，本方可编辑 {} 个，{} 个缺少译文</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="267" />
        <source>This project has no plan text yet (coplan content init).</source>
        <translation>本项目尚无规划文本（coplan content init）。</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="299" />
        <source>Section {} is not in this project's text.</source>
        <translation>本项目的规划文本中没有章节 {}。</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="126" />
        <source>Run the check-up to see the indicators.</source>
        <translation>运行体检以查看指标。</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="132" />
        <source>Compared with the {} check-up.</source>
        <translation>与 {} 年度体检记录比较。</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="134" />
        <source>No earlier check-up recorded: no year-over-year change.</source>
        <translation>无上年体检记录：不计算同比变化。</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="141" />
        <source>All regions</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location filename="../indicator_dashboard.py" line="180" />
        <source>&lt;b&gt;Check-up {}&lt;/b&gt;: {} indicator values. {}</source>
        <translation>&lt;b&gt;{} 年度体检&lt;/b&gt;：指标值 {} 个。{}</translation>
    </message>
    <message>
        <location filename="../review_docks.py" line="116" />
        <source>The anchored feature is not in this project: showing its snapshot.</source>
        <translation>锚定的要素不在本项目中：显示其几何快照。</translation>
    </message>
    <message>
        <location filename="../review_docks.py" line="153" />
        <source>Comment saved to the outbox; review sync sends it.</source>
        <translation>意见已保存到发件箱，意见同步时发送。</translation>
    </message>
    <message>
        <location filename="../review_docks.py" line="175" />
        <source>Review sync: {} sent, {} refused, {} comments visible.</source>
        <translation>意见同步：发送 {} 条，被拒 {} 条，可见意见 {} 条。</translation>
    </message>
    <message>
        <location filename="../review_docks.py" line="188" />
        <source>Decision recorded.</source>
        <translation>决定已记录。</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="48" />
        <location filename="../review_panel.py" line="213" />
        <source>Deliverable</source>
        <translation>成果</translation>
    </message>
    <message>
        <location filename="../content_panel.py" line="91" />
        <location filename="../review_panel.py" line="49" />
        <source>Section</source>
        <translation>章节</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="87" />
        <source>Clause {} at {}: “{}”</source>
        <translation>条款 {} 第 {} 字：“{}”</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="89" />
        <source>Feature {} {}</source>
        <translation>要素 {} {}</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="90" />
        <source>Area on the map</source>
        <translation>地图区域</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="208" />
        <source>Local copy</source>
        <translation>本地副本</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="208" />
        <source>Open archive…</source>
        <translation>打开档案…</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="209" />
        <source>New comment…</source>
        <translation>新意见…</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="215" />
        <source>Search the comments' text…</source>
        <translation>搜索意见内容…</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="216" />
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="224" />
        <source>Review archives (*.jsonl)</source>
        <translation>意见档案 (*.jsonl)</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="241" />
        <location filename="../round_dashboard.py" line="94" />
        <source>No review loaded.</source>
        <translation>未载入意见。</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="243" />
        <source>Local copy (last review sync): {} comments</source>
        <translation>本地副本（上次意见同步）：{} 条意见</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="246" />
        <source>Archive {}: {} comments</source>
        <translation>档案 {}：{} 条意见</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="255" />
        <source>All rounds</source>
        <translation>全部轮次</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="256" />
        <source>All parties</source>
        <translation>全部参与方</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="257" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="258" />
        <source>All deliverables</source>
        <translation>全部成果</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="259" />
        <location filename="../review_texts.py" line="38" />
        <source>unassigned</source>
        <translation>未分办</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="295" />
        <source>{} of {} comments</source>
        <translation>{} / {} 条意见</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="301" />
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="301" />
        <source>to send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="301" />
        <source>refused</source>
        <translation>被拒</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="308" />
        <source>Outbox ({})</source>
        <translation>发件箱（{}）</translation>
    </message>
    <message>
        <location filename="../review_panel.py" line="368" />
        <source>Section {}, position {}: “{}”</source>
        <translation>章节 {}，第 {} 字：“{}”</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="30" />
        <source>signed</source>
        <translation>已签署</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="30" />
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="30" />
        <source>not signed</source>
        <translation>未签署</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="34" />
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="34" />
        <source>not verified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="95" />
        <source>Joint sign-off</source>
        <translation>会签</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="96" />
        <source>Release folder</source>
        <translation>会签稿文件夹</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="96" />
        <source>Trusted keys</source>
        <translation>信任的公钥</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="96" />
        <source>Release hash</source>
        <translation>会签稿哈希</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="97" />
        <source>Release</source>
        <translation>会签稿</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="99" />
        <source>Default: the keys folder beside the release</source>
        <translation>默认：会签稿旁的 keys 文件夹</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="102" />
        <source>Load and verify</source>
        <translation>载入并验证</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="103" />
        <source>Private key file of your party's signatory:</source>
        <translation>本方签署人的私钥文件：</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="104" />
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="105" />
        <source>Withdraw signature</source>
        <translation>撤回签署</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="106" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="106" />
        <source>Signature</source>
        <translation>签署状态</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="106" />
        <source>Signer</source>
        <translation>签署人</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="107" />
        <source>Check</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="111" />
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="116" />
        <source>Choose a private key file</source>
        <translation>选择私钥文件</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="117" />
        <source>Signing keys (*.key)</source>
        <translation>签署私钥 (*.key)</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="147" />
        <source>{} · project {} · data version {} · frozen {}</source>
        <translation>{} · 项目 {} · 数据版本 {} · 冻结于 {}</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="157" />
        <source>quorum met</source>
        <translation>满足会签要求</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="157" />
        <source>quorum NOT met</source>
        <translation>未满足会签要求</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="158" />
        <source>not verified (no trusted keys)</source>
        <translation>未验证（无信任公钥）</translation>
    </message>
    <message>
        <location filename="../signoff_dialog.py" line="159" />
        <source>Signed by {} of {} parties; {} needed — {}</source>
        <translation>{} / {} 方已签署，需 {} 方 — {}</translation>
    </message>
    <message>
        <location filename="../review_texts.py" line="29" />
        <source>sealed</source>
        <translation>密封</translation>
    </message>
    <message>
        <location filename="../review_texts.py" line="29" />
        <source>all parties</source>
        <translation>各方可见</translation>
    </message>
    <message>
        <location filename="../review_texts.py" line="29" />
        <source>public</source>
        <translation>公开</translation>
    </message>
    <message>
        <location filename="../content_docks.py" line="140" />
        <source>Section {} saved.</source>
        <translation>章节 {} 已保存。</translation>
    </message>
    <message>
        <location filename="../content_docks.py" line="166" />
        <source>Layer {} {}</source>
        <translation>图层 {} {}</translation>
    </message>
    <message>
        <location filename="../content_docks.py" line="170" />
        <source>Project {} {}</source>
        <translation>项目 {} {}</translation>
    </message>
    <message>
        <location filename="../content_docks.py" line="193" />
        <source>The linked project is not in this project's library.</source>
        <translation>所链接的项目不在本项目的项目库中。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="148" />
        <source>Publish outputs</source>
        <translation>发布成果</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="149" />
        <source>Outputs</source>
        <translation>成果</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="152" />
        <source>version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="153" />
        <source>Map resolution (dpi)</source>
        <translation>地图分辨率（dpi）</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="154" />
        <location filename="../publish_dialog.py" line="167" />
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="155" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="156" />
        <source>Build</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="158" />
        <source>Output</source>
        <translation>成果</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="158" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="158" />
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="158" />
        <source>Maps</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="159" />
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="160" />
        <source>Open PDF</source>
        <translation>打开 PDF</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="161" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="162" />
        <source>Publish to the server</source>
        <translation>发布到服务器</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="163" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="185" />
        <source>Looking up versions and publishing rights…</source>
        <translation>正在查询版本号和发布权限…</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="187" />
        <source>This project has no server: outputs are built locally only.</source>
        <translation>本项目未连接服务器：成果仅在本地生成。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="189" />
        <source>Publishing rights unknown ({}): log in and try again.</source>
        <translation>无法确认发布权限（{}）：请登录后重试。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="191" />
        <source>You may publish to {} as {}.</source>
        <translation>您可以以 {1} 身份发布到 {0}。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="193" />
        <source>Role {} may not publish; publishers and coordinators may.</source>
        <translation>角色 {} 无权发布；发布人和协调人可以发布。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="213" />
        <source>{} ({} of {}): {}</source>
        <translation>{}（第 {} 项，共 {} 项）：{}</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="218" />
        <source>Uploading {}</source>
        <translation>正在上传 {}</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="225" />
        <source>Built {} output(s).</source>
        <translation>已生成 {} 项成果。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="242" />
        <source>Build cancelled.</source>
        <translation>已取消生成。</translation>
    </message>
    <message>
        <location filename="../publish_dialog.py" line="253" />
        <source>Published to the server: {}</source>
        <translation>已发布到服务器：{}</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="56" />
        <source>Chinese title</source>
        <translation>中文标题</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="56" />
        <source>English title</source>
        <translation>英文标题</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="57" />
        <source>Chinese body</source>
        <translation>中文正文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="57" />
        <source>English body</source>
        <translation>英文正文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="178" />
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="178" />
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="178" />
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="179" />
        <source>Participants</source>
        <translation>参与方</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="179" />
        <source>Links</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="183" />
        <source>Show on map</source>
        <translation>在地图上显示</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="184" />
        <source>Save section</source>
        <translation>保存章节</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="187" />
        <source>Revert to saved</source>
        <translation>恢复为已保存</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="189" />
        <source>Missing translation</source>
        <translation>缺少译文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="253" />
        <source>Drafted by {} ({}): read-only for your party.</source>
        <translation>由 {}（{}）起草：本方只读。</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="260" />
        <source>Choose a section in the tree.</source>
        <translation>请在目录树中选择章节。</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="265" />
        <source>saved {} by {}</source>
        <translation>{} 由 {} 保存</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="331" />
        <source>Chinese text missing</source>
        <translation>缺少中文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="331" />
        <source>English text missing</source>
        <translation>缺少英文</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="371" />
        <source>Comment on this clause…</source>
        <translation>对此条款提意见…</translation>
    </message>
    <message>
        <location filename="../section_editor.py" line="372" />
        <source>Select words of the Chinese text to comment on them as a clause.</source>
        <translation>选中中文正文中的文字，即可作为条款提意见。</translation>
    </message>
</context>
</TS>