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
        <translation>单位</translation>
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
    <message>
        <source>The basemap {} cannot be opened; the map works without it. Choose another under View → Basemap…</source>
        <translation>无法打开底图 {}；地图仍可正常使用。请在“视图 → 底图…”中另选底图。</translation>
    </message>
    <message>
        <source>The basemap server {} does not answer; the map works without it.</source>
        <translation>底图服务器 {} 无响应；地图仍可正常使用。</translation>
    </message>
    <message>
        <source>Basemap…</source>
        <translation>底图…</translation>
    </message>
    <message>
        <source>Basemap</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>Built-in context (offline)</source>
        <translation>内置示意底图（离线）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>MBTiles file</source>
        <translation>MBTiles 文件</translation>
    </message>
    <message>
        <source>XYZ tile folder</source>
        <translation>XYZ 瓦片文件夹</translation>
    </message>
    <message>
        <source>XYZ tile address</source>
        <translation>XYZ 瓦片地址</translation>
    </message>
    <message>
        <source>WMS address</source>
        <translation>WMS 地址</translation>
    </message>
    <message>
        <source>City land and Taihu, schematic (Natural Earth, public domain); no files needed.</source>
        <translation>各城市陆域与太湖，示意（Natural Earth，公有领域）；无需任何文件。</translation>
    </message>
    <message>
        <source>Features on the plain background.</source>
        <translation>要素显示在纯色背景上。</translation>
    </message>
    <message>
        <source>A .mbtiles file in Web Mercator, e.g. exported from QGIS or gdal.</source>
        <translation>Web 墨卡托投影的 .mbtiles 文件，例如由 QGIS 或 gdal 导出。</translation>
    </message>
    <message>
        <source>A folder laid out as {z}/{x}/{y}.png, e.g. made by gdal2tiles --xyz.</source>
        <translation>按 {z}/{x}/{y}.png 组织的文件夹，例如由 gdal2tiles --xyz 生成。</translation>
    </message>
    <message>
        <source>An address with {z}, {x} and {y}, e.g. http://tiles.office/{z}/{x}/{y}.png. Tiles seen once stay available offline. Tiles in GCJ-02 appear offset.</source>
        <translation>含 {z}、{x}、{y} 的地址，例如 http://tiles.office/{z}/{x}/{y}.png。看过的瓦片可离线使用。GCJ-02 坐标的瓦片会出现偏移。</translation>
    </message>
    <message>
        <source>The WMS GetMap address and a layer name; requested in EPSG:3857.</source>
        <translation>WMS GetMap 地址及图层名；以 EPSG:3857 请求。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>File, folder or address</source>
        <translation>文件、文件夹或地址</translation>
    </message>
    <message>
        <source>WMS layer</source>
        <translation>WMS 图层</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;All files (*)</source>
        <translation>MBTiles (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{:,} feature(s)</source>
        <translation>{:,} 个要素</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Revert…</source>
        <translation>撤销此变更集…</translation>
    </message>
    <message>
        <source>Commit the inverse of the chosen change set</source>
        <translation>提交所选变更集的逆变更</translation>
    </message>
    <message>
        <source>Discard {} uncommitted change(s)? They cannot be restored.</source>
        <translation>放弃 {} 项未提交的变更？放弃后无法恢复。</translation>
    </message>
    <message>
        <source>Revert “{}”? A new change set that undoes it will be committed, and pushed like any other.</source>
        <translation>撤销“{}”？将提交一个抵消它的新变更集，并像其他变更一样推送。</translation>
    </message>
    <message>
        <source>Reverted; the inverse change set waits to be pushed.</source>
        <translation>已撤销；逆变更集等待推送。</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>创建人</translation>
    </message>
    <message>
        <source>Created at</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Geometry</source>
        <translation>几何</translation>
    </message>
    <message>
        <source>{} vertices</source>
        <translation>{} 个顶点</translation>
    </message>
    <message>
        <source>{:,.2f} m²</source>
        <translation>{:,.2f} 平方米</translation>
    </message>
    <message>
        <source>{:,.2f} m</source>
        <translation>{:,.2f} 米</translation>
    </message>
    <message>
        <source>{:,.0f} m²</source>
        <translation>{:,.0f} 平方米</translation>
    </message>
    <message>
        <source>{:,.2f} ha</source>
        <translation>{:,.2f} 公顷</translation>
    </message>
    <message>
        <source>{:,.0f} m</source>
        <translation>{:,.0f} 米</translation>
    </message>
    <message>
        <source>{:,.2f} km</source>
        <translation>{:,.2f} 千米</translation>
    </message>
    <message>
        <source>Vertices {} → {}</source>
        <translation>顶点 {} → {}</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>old</source>
        <translation>原</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Choose a change or a change set to see what it changed.</source>
        <translation>选择一项变更或一个变更集，查看它改了什么。</translation>
    </message>
    <message>
        <source>Uncommitted change</source>
        <translation>未提交的变更</translation>
    </message>
    <message>
        <source>This change was undone.</source>
        <translation>此变更已被撤销。</translation>
    </message>
    <message>
        <source>“{}” · {} · {} · {} change(s)</source>
        <translation>“{}” · {} · {} · {} 项变更</translation>
    </message>
    <message>
        <source>Geometry unchanged</source>
        <translation>几何未改变</translation>
    </message>
    <message>
        <source>Change by {}</source>
        <translation>{} 的修改</translation>
    </message>
    <message>
        <source>Common original</source>
        <translation>共同的原值</translation>
    </message>
    <message>
        <source>Server's current value</source>
        <translation>服务器当前值</translation>
    </message>
    <message>
        <source>My change</source>
        <translation>我的修改</translation>
    </message>
    <message>
        <source>The server refused this change: {}</source>
        <translation>服务器拒绝了此变更：{}</translation>
    </message>
    <message>
        <source>The same field was changed on the server and in the pushed change.</source>
        <translation>服务器上和推送的变更中修改了同一字段。</translation>
    </message>
    <message>
        <source>The pushed change edits a feature that was deleted on the server.</source>
        <translation>推送的变更修改了一个在服务器上已被删除的要素。</translation>
    </message>
    <message>
        <source>The pushed change deletes a feature that was changed on the server.</source>
        <translation>推送的变更删除了一个在服务器上已被修改的要素。</translation>
    </message>
    <message>
        <source>The same feature was added twice with different values.</source>
        <translation>同一要素被添加了两次，且取值不同。</translation>
    </message>
    <message>
        <source>same field</source>
        <translation>同一字段</translation>
    </message>
    <message>
        <source>changed / deleted</source>
        <translation>修改 / 已删除</translation>
    </message>
    <message>
        <source>deleted / changed</source>
        <translation>删除 / 已修改</translation>
    </message>
    <message>
        <source>added twice</source>
        <translation>重复添加</translation>
    </message>
    <message>
        <source>Deleted by {}</source>
        <translation>已删除（由 {} 删除）</translation>
    </message>
    <message>
        <source>(did not exist)</source>
        <translation>（当时不存在）</translation>
    </message>
    <message>
        <source>Larger view…</source>
        <translation>放大查看…</translation>
    </message>
    <message>
        <source>Compare the versions in a window of their own</source>
        <translation>在单独的窗口中比较各版本</translation>
    </message>
    <message>
        <source>Restore the common original</source>
        <translation>恢复共同的原值</translation>
    </message>
    <message>
        <source>Keep the server's value</source>
        <translation>保留服务器当前值</translation>
    </message>
    <message>
        <source>Use my change</source>
        <translation>采用我的修改</translation>
    </message>
    <message>
        <source>Use the pushed change</source>
        <translation>采用推送的修改</translation>
    </message>
    <message>
        <source>Keep it deleted</source>
        <translation>保持删除</translation>
    </message>
    <message>
        <source>Delete it</source>
        <translation>删除它</translation>
    </message>
    <message>
        <source>Conflict #{}: {} {}</source>
        <translation>冲突 #{}：{} {}</translation>
    </message>
    <message>
        <source> px</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>Add vertex</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Apply to {} features</source>
        <translation>应用到 {} 个要素</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Constant value</source>
        <translation>常量值</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Enter coordinates</source>
        <translation>输入坐标</translation>
    </message>
    <message>
        <source>Enter coordinates…</source>
        <translation>输入坐标…</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>表达式</translation>
    </message>
    <message>
        <source>Field calculator</source>
        <translation>字段计算器</translation>
    </message>
    <message>
        <source>Field calculator…</source>
        <translation>字段计算器…</translation>
    </message>
    <message>
        <source>Field to set</source>
        <translation>要设置的字段</translation>
    </message>
    <message>
        <source>Fields (double-click to insert)</source>
        <translation>字段（双击插入）</translation>
    </message>
    <message>
        <source>Fields (double-click to insert); join text with ||, e.g. XZQMC || '-' || BSM</source>
        <translation>字段（双击插入）；用 || 连接文本，例如 XZQMC || '-' || BSM</translation>
    </message>
    <message>
        <source>Gauss–Krüger CM {}°E (EPSG:{})</source>
        <translation>高斯-克吕格 中央经线 {}°E（EPSG:{}）</translation>
    </message>
    <message>
        <source>Latitude (°N)</source>
        <translation>纬度（°N）</translation>
    </message>
    <message>
        <source>Layer: {} ({} features)</source>
        <translation>图层：{}（{} 个要素）</translation>
    </message>
    <message>
        <source>Longitude (°E)</source>
        <translation>经度（°E）</translation>
    </message>
    <message>
        <source>Longitude / latitude (CGCS2000, EPSG:4490)</source>
        <translation>经纬度（CGCS2000，EPSG:4490）</translation>
    </message>
    <message>
        <source>Merge selected features</source>
        <translation>合并所选要素</translation>
    </message>
    <message>
        <source>New pieces got the identifiers {}; edit them in the form if needed.</source>
        <translation>新分出的要素已分配标识码 {}，如需要可在属性表单中修改。</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Preview: {}</source>
        <translation>预览：{}</translation>
    </message>
    <message>
        <source>Reshape feature</source>
        <translation>修整要素</translation>
    </message>
    <message>
        <source>Select at least two features of one layer to merge.</source>
        <translation>请选择同一图层的至少两个要素进行合并。</translation>
    </message>
    <message>
        <source>Select by expression</source>
        <translation>按表达式选择</translation>
    </message>
    <message>
        <source>Select by expression…</source>
        <translation>按表达式选择…</translation>
    </message>
    <message>
        <source>Select one feature you may edit to add a vertex to.</source>
        <translation>请选择一个可编辑的要素来添加节点。</translation>
    </message>
    <message>
        <source>Select the feature to edit first (the line meets {} features)</source>
        <translation>请先选择要编辑的要素（该线经过 {} 个要素）</translation>
    </message>
    <message>
        <source>Select the features to change first.</source>
        <translation>请先选择要修改的要素。</translation>
    </message>
    <message>
        <source>Selecting…</source>
        <translation>正在选择…</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>捕捉</translation>
    </message>
    <message>
        <source>Snapping options</source>
        <translation>捕捉设置</translation>
    </message>
    <message>
        <source>Snapping options…</source>
        <translation>捕捉设置…</translation>
    </message>
    <message>
        <source>Some selected features belong to another party and cannot be changed.</source>
        <translation>部分所选要素属于其他参与方，不能修改。</translation>
    </message>
    <message>
        <source>Some selected features belong to another party and cannot be merged.</source>
        <translation>部分所选要素属于其他参与方，不能合并。</translation>
    </message>
    <message>
        <source>Split feature</source>
        <translation>分割要素</translation>
    </message>
    <message>
        <source>Split into {} features.</source>
        <translation>已分割为 {} 个要素。</translation>
    </message>
    <message>
        <source>Text in quotes ('0701'); % matches any run of characters, _ one character.</source>
        <translation>文本加单引号（'0701'）；% 匹配任意多个字符，_ 匹配一个字符。</translation>
    </message>
    <message>
        <source>The condition reads well.</source>
        <translation>条件有效。</translation>
    </message>
    <message>
        <source>This feature belongs to another party and cannot be edited.</source>
        <translation>该要素属于其他参与方，不能编辑。</translation>
    </message>
    <message>
        <source>This point is far from the project's area: check the coordinate system and the order of X and Y.</source>
        <translation>该点远离项目范围：请检查坐标系以及 X、Y 的顺序。</translation>
    </message>
    <message>
        <source>To vertices</source>
        <translation>捕捉到节点</translation>
    </message>
    <message>
        <source>To vertices and edges</source>
        <translation>捕捉到节点和边</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <source>Typed coordinates need the draw, split, reshape or vertex tool.</source>
        <translation>输入坐标需要先选择绘制、分割、修整或编辑节点工具。</translation>
    </message>
    <message>
        <source>Vertices are preferred; an edge is used when no vertex is that near.</source>
        <translation>优先捕捉节点；附近没有节点时捕捉到边上。</translation>
    </message>
    <message>
        <source>X (northing, m)</source>
        <translation>X（北坐标，米）</translation>
    </message>
    <message>
        <source>Y (easting, m)</source>
        <translation>Y（东坐标，米）</translation>
    </message>
    <message>
        <source>lon {:.6f}°  lat {:.6f}°</source>
        <translation>经度 {:.6f}°  纬度 {:.6f}°</translation>
    </message>
    <message>
        <source>{} selected features of {}</source>
        <translation>{} 个所选要素（{}）</translation>
    </message>
    <message>
        <source>{} of {} features match ({:.0f} ms); {} selected</source>
        <translation>{} 个要素符合条件（共 {} 个，用时 {:.0f} 毫秒）；已选择 {} 个</translation>
    </message>
    <message>
        <source>New selection</source>
        <translation>新建选择</translation>
    </message>
    <message>
        <source>Add to selection</source>
        <translation>添加到选择</translation>
    </message>
    <message>
        <source>Select within selection</source>
        <translation>在已选要素中选择</translation>
    </message>
    <message>
        <source>Split: draw a line across the selected feature; double-click or Enter to cut, Esc to cancel.</source>
        <translation>分割：画一条穿过所选要素的线；双击或按回车键分割，按 Esc 取消。</translation>
    </message>
    <message>
        <source>Reshape: draw the new stretch of outline from edge to edge; double-click or Enter to apply.</source>
        <translation>修整：从边界到边界画出新的一段边界线；双击或按回车键应用。</translation>
    </message>
    <message>
        <source>Distance: {}</source>
        <translation>距离：{}</translation>
    </message>
    <message>
        <source>Area: {}</source>
        <translation>面积：{}</translation>
    </message>
    <message>
        <source>Perimeter: {}</source>
        <translation>周长：{}</translation>
    </message>
    <message>
        <source>Click on the map to start measuring.</source>
        <translation>在地图上单击开始量测。</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Click to add points; double-click or right-click finishes; Esc clears; A switches distance/area.</source>
        <translation>单击添加点；双击或右键结束；Esc 清除；按 A 切换距离/面积。</translation>
    </message>
    <message>
        <source>Coordinate display</source>
        <translation>坐标显示</translation>
    </message>
    <message>
        <source>Longitude/latitude (CGCS2000)</source>
        <translation>经纬度（CGCS2000）</translation>
    </message>
    <message>
        <source>Gauss–Krüger, the project city's zone</source>
        <translation>高斯-克吕格投影，项目所在城市的带</translation>
    </message>
    <message>
        <source>Gauss–Krüger CM 120°E (EPSG:4549)</source>
        <translation>高斯-克吕格投影 中央经线 120°E（EPSG:4549）</translation>
    </message>
    <message>
        <source>Gauss–Krüger CM 123°E (EPSG:4550)</source>
        <translation>高斯-克吕格投影 中央经线 123°E（EPSG:4550）</translation>
    </message>
    <message>
        <source>X(N) {:,.2f} m  Y(E) {:,.2f} m  EPSG:{}</source>
        <translation>X(北) {:,.2f} 米  Y(东) {:,.2f} 米  EPSG:{}</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>Click the map with the identify tool to list the features there.</source>
        <translation>用识别工具单击地图，列出该处的要素。</translation>
    </message>
    <message>
        <source>{} feature(s) under the cursor; choose one to select it.</source>
        <translation>光标处有 {} 个要素；单击一行即可选中该要素。</translation>
    </message>
    <message>
        <source>Layer / field</source>
        <translation>图层 / 字段</translation>
    </message>
    <message>
        <source>Feature / value</source>
        <translation>要素 / 值</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>量测</translation>
    </message>
    <message>
        <source>Identify results</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <source>CoPlan</source>
        <translation>CoPlan 协同规划</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Don't save</source>
        <translation>不保存</translation>
    </message>
    <message>
        <source>Choose a CoPlan project file (.sqlite) with File → Open.</source>
        <translation>请通过“文件 → 打开”选择 CoPlan 项目文件（.sqlite）。</translation>
    </message>
    <message>
        <source>opening another project</source>
        <translation>打开另一个项目</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>关闭窗口</translation>
    </message>
    <message>
        <source>Read-only: {}. You can look and export, not edit; reopen the project once the file can be written.</source>
        <translation>只读：{}。可以查看和导出，不能编辑；文件可写后请重新打开项目。</translation>
    </message>
    <message>
        <source>The edit was not saved: {}</source>
        <translation>修改未保存：{}</translation>
    </message>
    <message>
        <source>Nothing was lost: the form keeps what you entered.</source>
        <translation>没有丢失任何内容：表单中仍保留您填写的内容。</translation>
    </message>
    <message>
        <source>a shape being drawn on the map</source>
        <translation>地图上正在绘制的图形</translation>
    </message>
    <message>
        <source>attributes typed in the form and not saved</source>
        <translation>表单中已填写但未保存的属性</translation>
    </message>
    <message>
        <source>plan-text section being edited</source>
        <translation>正在编辑的规划文本章节</translation>
    </message>
    <message>
        <source>{} uncommitted change(s): Save commits them; Don't save keeps them in the project file, uncommitted</source>
        <translation>{} 处未提交的修改：“保存”将提交它们；“不保存”则将它们以未提交状态留在项目文件中</translation>
    </message>
    <message>
        <source>Before {}, there is unsaved work:</source>
        <translation>{}之前，还有尚未保存的工作：</translation>
    </message>
    <message>
        <source>The form has problems (shown in red): correct them and save, or choose Don't save.</source>
        <translation>表单中有问题（红色标出）：请改正后保存，或选择“不保存”。</translation>
    </message>
    <message>
        <source>Saved before closing the project</source>
        <translation>关闭项目前保存</translation>
    </message>
    <message>
        <source>The drawn shape needs its attributes: fill in the form and save it, then close again.</source>
        <translation>绘制的图形还需要属性：请在表单中填写并保存，然后再关闭。</translation>
    </message>
    <message>
        <source>The shape has too few vertices to be saved: add vertices and double-click to finish it, or press Esc to drop it.</source>
        <translation>图形的顶点太少，无法保存：请继续添加顶点并双击完成，或按 Esc 放弃。</translation>
    </message>
    <message>
        <source>Not everything could be saved, so nothing was closed:</source>
        <translation>有内容未能保存，因此没有关闭：</translation>
    </message>
    <message>
        <source>{:,} features selected: select one to see its attributes.</source>
        <translation>已选择 {:,} 个要素：选择其中一个以查看其属性。</translation>
    </message>
    <message>
        <source>Type a code or a name…</source>
        <translation>输入代码或名称…</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Only classes present in the data</source>
        <translation>仅列出数据中出现的类别</translation>
    </message>
    <message>
        <source>Layer / class</source>
        <translation>图层 / 类别</translation>
    </message>
    <message>
        <source>(no value)</source>
        <translation>（无值）</translation>
    </message>
    <message>
        <source>Colour verified against the standard</source>
        <translation>颜色已按标准核对</translation>
    </message>
    <message>
        <source>Colour as seen in a third-party copy of the standard (not verified)</source>
        <translation>颜色取自标准的第三方转录（未核对）</translation>
    </message>
    <message>
        <source>Colour from recall, not verified against the standard</source>
        <translation>颜色凭记忆录入，未按标准核对</translation>
    </message>
    <message>
        <source>; colour of the parent class</source>
        <translation>；沿用上级类别的颜色</translation>
    </message>
    <message>
        <source>Label settings</source>
        <translation>标注设置</translation>
    </message>
    <message>
        <source>Label field</source>
        <translation>标注字段</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>(no labels)</source>
        <translation>（不标注）</translation>
    </message>
    <message>
        <source>Label settings…</source>
        <translation>标注设置…</translation>
    </message>
    <message>
        <source>X(N) —  Y(E) —</source>
        <translation>X(北) —  Y(东) —</translation>
    </message>
    <message>
        <source>Read-only: the project file cannot be written now</source>
        <translation>只读：项目文件当前无法写入</translation>
    </message>
    <message>
        <source>The form has unsaved input: save or cancel it first.</source>
        <translation>表单中有未保存的输入：请先保存或取消。</translation>
    </message>
    <message>
        <source>Round manager</source>
        <translation>征询轮次管理</translation>
    </message>
    <message>
        <source>Round manager…</source>
        <translation>征询轮次管理…</translation>
    </message>
    <message>
        <source>New round…</source>
        <translation>新建轮次…</translation>
    </message>
    <message>
        <source>Freeze draft…</source>
        <translation>冻结定稿…</translation>
    </message>
    <message>
        <source>Export event log…</source>
        <translation>导出事件日志…</translation>
    </message>
    <message>
        <source>Event logs (*.jsonl)</source>
        <translation>事件日志 (*.jsonl)</translation>
    </message>
    <message>
        <source>Folder for the handling reports</source>
        <translation>办理情况报告保存文件夹</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Comments visible</source>
        <translation>意见可见范围</translation>
    </message>
    <message>
        <source>Invitations</source>
        <translation>征询对象</translation>
    </message>
    <message>
        <source>Triage and answers</source>
        <translation>分办与答复</translation>
    </message>
    <message>
        <source>Publish and records</source>
        <translation>发布与存档</translation>
    </message>
    <message>
        <source>No round yet: open one with "New round…".</source>
        <translation>尚无征询轮次：请用“新建轮次…”开启。</translation>
    </message>
    <message>
        <source>not frozen</source>
        <translation>未冻结</translation>
    </message>
    <message>
        <source>Only coordinators run comment rounds.</source>
        <translation>只有协调人可以组织意见征询轮次。</translation>
    </message>
    <message>
        <source>Event log of the review</source>
        <translation>意见征询事件日志</translation>
    </message>
    <message>
        <source>round opened</source>
        <translation>已开启轮次</translation>
    </message>
    <message>
        <source>draft frozen</source>
        <translation>已冻结定稿</translation>
    </message>
    <message>
        <source>stage changed</source>
        <translation>已变更阶段</translation>
    </message>
    <message>
        <source>parties invited</source>
        <translation>已邀请征询对象</translation>
    </message>
    <message>
        <source>reminders sent</source>
        <translation>已发送催办</translation>
    </message>
    <message>
        <source>comments grouped</source>
        <translation>已合并意见</translation>
    </message>
    <message>
        <source>comments assigned</source>
        <translation>已分办意见</translation>
    </message>
    <message>
        <source>recommendation recorded</source>
        <translation>已记录建议处理意见</translation>
    </message>
    <message>
        <source>decision recorded</source>
        <translation>已记录处理决定</translation>
    </message>
    <message>
        <source>answers published</source>
        <translation>已发布答复</translation>
    </message>
    <message>
        <source>event log exported</source>
        <translation>已导出事件日志</translation>
    </message>
    <message>
        <source>handling reports written</source>
        <translation>已生成办理情况报告</translation>
    </message>
    <message>
        <source>Freeze the plan text ({} sections) as the draft of round {}? Comments will quote this text.</source>
        <translation>将规划文本（{} 个章节）冻结为第 {} 轮征询稿？意见将引用该文本。</translation>
    </message>
    <message>
        <source>Publish {} decided answers of round {} to the parties?</source>
        <translation>向各方发布 {} 条已研究的答复（第 {} 轮）？</translation>
    </message>
    <message>
        <source>Round {}: {} — stage {}, due {}, draft {}</source>
        <translation>第 {} 轮：{} — 阶段 {}，截止 {}，定稿 {}</translation>
    </message>
    <message>
        <source>Move to: {}</source>
        <translation>进入：{}</translation>
    </message>
    <message>
        <source>Done: {}.</source>
        <translation>完成：{}。</translation>
    </message>
    <message>
        <source>{} events exported.</source>
        <translation>已导出 {} 条事件。</translation>
    </message>
    <message>
        <source>{} handling reports written.</source>
        <translation>已生成 {} 份办理情况报告。</translation>
    </message>
    <message>
        <source>New round</source>
        <translation>新建轮次</translation>
    </message>
    <message>
        <source>Open round</source>
        <translation>开启轮次</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>轮次编号</translation>
    </message>
    <message>
        <source>Title (Chinese)</source>
        <translation>标题（中文）</translation>
    </message>
    <message>
        <source>Title (English)</source>
        <translation>标题（英文）</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Drafting teams</source>
        <translation>编制组</translation>
    </message>
    <message>
        <source>Party codes, comma-separated</source>
        <translation>单位代码，以逗号分隔</translation>
    </message>
    <message>
        <source>Give the round a title.</source>
        <translation>请填写轮次标题。</translation>
    </message>
    <message>
        <source>Invite parties:</source>
        <translation>邀请征询对象：</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>邀请</translation>
    </message>
    <message>
        <source>Remind all unanswered</source>
        <translation>催办全部未答复单位</translation>
    </message>
    <message>
        <source>Remind selected</source>
        <translation>催办所选单位</translation>
    </message>
    <message>
        <source>comments received</source>
        <translation>已提交意见</translation>
    </message>
    <message>
        <source>no comment</source>
        <translation>无意见</translation>
    </message>
    <message>
        <source>no answer yet</source>
        <translation>尚未答复</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>答复情况</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>逾期提交</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>催办</translation>
    </message>
    <message>
        <source>late</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>超期未复</translation>
    </message>
    <message>
        <source>Suggested duplicates:</source>
        <translation>疑似重复意见：</translation>
    </message>
    <message>
        <source>Accept group</source>
        <translation>接受合并</translation>
    </message>
    <message>
        <source>Edit members</source>
        <translation>调整成员</translation>
    </message>
    <message>
        <source>Group selected</source>
        <translation>合并所选</translation>
    </message>
    <message>
        <source>Assign selected to</source>
        <translation>将所选分办至</translation>
    </message>
    <message>
        <source>Recommend (drafting team)</source>
        <translation>提出建议（编制组）</translation>
    </message>
    <message>
        <source>own party</source>
        <translation>自评本单位意见</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>意见组</translation>
    </message>
    <message>
        <source>Choose a comment.</source>
        <translation>请选择一条意见。</translation>
    </message>
    <message>
        <source>{} comments ({}): {}</source>
        <translation>{} 条意见（{}）：{}</translation>
    </message>
    <message>
        <source>Publish answers</source>
        <translation>发布答复</translation>
    </message>
    <message>
        <source>Handling reports…</source>
        <translation>办理情况报告…</translation>
    </message>
    <message>
        <source>Comments of this round by status: {}</source>
        <translation>本轮意见办理状态：{}</translation>
    </message>
    <message>
        <source>Move round {} to the stage "{}"? A round never moves back.</source>
        <translation>将第 {} 轮推进到“{}”阶段？轮次阶段不能回退。</translation>
    </message>
    <message>
        <source>Note with the reminder (optional)</source>
        <translation>催办附言（可选）</translation>
    </message>
    <message>
        <source>Stages: {}</source>
        <translation>各阶段：{}</translation>
    </message>
    <message>
        <source>not yet received by the server</source>
        <translation>服务器尚未收到</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Comment received</source>
        <translation>意见已收到</translation>
    </message>
    <message>
        <source>Comment withdrawn</source>
        <translation>意见已撤回</translation>
    </message>
    <message>
        <source>Anchors checked against a new draft</source>
        <translation>已对照新稿核对锚点</translation>
    </message>
    <message>
        <source>Anchor reviewed</source>
        <translation>锚点已复核</translation>
    </message>
    <message>
        <source>Confirm…</source>
        <translation>确认答复…</translation>
    </message>
    <message>
        <source>Change set {} (data version {}, {})</source>
        <translation>变更集 {}（数据版本 {}，{}）</translation>
    </message>
    <message>
        <source>Text of section {} (revision {})</source>
        <translation>章节 {} 文本（修订版 {}）</translation>
    </message>
    <message>
        <source>Your reply</source>
        <translation>本方回复</translation>
    </message>
    <message>
        <source>No round is waiting for your party's comments.</source>
        <translation>暂无等待本方反馈意见的征询轮次。</translation>
    </message>
    <message>
        <source>Written at</source>
        <translation>填写时间</translation>
    </message>
    <message>
        <source>in the outbox, sent by the next review sync</source>
        <translation>在发件箱中，下次意见同步时发送</translation>
    </message>
    <message>
        <source>Kept copy (the server could not be reached).</source>
        <translation>本地保存的副本（无法连接服务器）。</translation>
    </message>
    <message>
        <source>Answer published</source>
        <translation>答复已发布</translation>
    </message>
    <message>
        <source>No comment on round {}…</source>
        <translation>第 {} 轮无意见…</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>修改依据</translation>
    </message>
    <message>
        <source>No answer published yet.</source>
        <translation>尚未发布答复。</translation>
    </message>
    <message>
        <source>No history.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>已被替换</translation>
    </message>
    <message>
        <source>on a replaced answer</source>
        <translation>针对已被替换的答复</translation>
    </message>
    <message>
        <source>Your party has no comments here yet.</source>
        <translation>本方在此尚无意见。</translation>
    </message>
    <message>
        <source>History not available: {}</source>
        <translation>无法获取处理记录：{}</translation>
    </message>
    <message>
        <source>Reply to the answer</source>
        <translation>回复答复意见</translation>
    </message>
    <message>
        <source>Not satisfied (the comment is reopened)</source>
        <translation>不满意（意见将重新办理）</translation>
    </message>
    <message>
        <source>Note (required when not satisfied)</source>
        <translation>说明（不满意时必填）</translation>
    </message>
    <message>
        <source>Choose satisfied or not satisfied.</source>
        <translation>请选择满意或不满意。</translation>
    </message>
    <message>
        <source>Say why the answer is not satisfactory.</source>
        <translation>请说明对答复不满意的理由。</translation>
    </message>
    <message>
        <source>Comment on selection…</source>
        <translation>对所选文字提意见…</translation>
    </message>
    <message>
        <source>Round {}: section {} as frozen</source>
        <translation>第 {} 轮：冻结稿中的章节 {}</translation>
    </message>
    <message>
        <source>Your project's text of section {} differs from the draft round {} froze. Comments are anchored to the frozen draft: select the words here.</source>
        <translation>本项目中章节 {} 的文本与第 {} 轮冻结稿不同。意见以冻结稿为准锚定：请在此处选择文字。</translation>
    </message>
    <message>
        <source>No comment</source>
        <translation>无意见</translation>
    </message>
    <message>
        <source>No round is waiting for your party's comments (review sync brings new invitations).</source>
        <translation>暂无等待本方反馈意见的征询轮次（意见同步可获取新的征询）。</translation>
    </message>
    <message>
        <source>Saved to the outbox; sending…</source>
        <translation>已存入发件箱，正在发送…</translation>
    </message>
    <message>
        <source>Not sent: the server cannot be reached. The outbox keeps it for the next review sync.</source>
        <translation>未发送：无法连接服务器。发件箱会保留，下次意见同步时发送。</translation>
    </message>
    <message>
        <source>Kept in the outbox, not sent: {}</source>
        <translation>已保留在发件箱，未发送：{}</translation>
    </message>
    <message>
        <source>Round {} has no frozen draft in the local copy: the server checks the clause when the comment is sent.</source>
        <translation>本地副本中没有第 {} 轮的冻结稿：意见发送时由服务器核对条款。</translation>
    </message>
    <message>
        <source>Section {} is not in the draft round {} froze: it cannot be commented on in this round.</source>
        <translation>章节 {} 不在第 {} 轮冻结稿中：本轮不能对其提意见。</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Answers to my comments</source>
        <translation>本方意见的答复</translation>
    </message>
    <message>
        <source>No comment on a round…</source>
        <translation>对征询轮次回复无意见…</translation>
    </message>
    <message>
        <source>Round {}</source>
        <translation>第 {} 轮</translation>
    </message>
    <message>
        <source>{} invites your party (due {}).</source>
        <translation>{} 征询本方意见（截止 {}）。</translation>
    </message>
    <message>
        <source>{} invites your party.</source>
        <translation>{} 征询本方意见。</translation>
    </message>
    <message>
        <source>Answer {} with “no comment”? Your party then sends no comments in this round.</source>
        <translation>确认对{}回复“无意见”？本方在本轮将不再提交意见。</translation>
    </message>
    <message>
        <source>Overdue.</source>
        <translation>已逾期。</translation>
    </message>
    <message>
        <source>Reminded {} time(s).</source>
        <translation>已催办 {} 次。</translation>
    </message>
    <message>
        <source>Trusted keyring</source>
        <translation>受信任的密钥环</translation>
    </message>
    <message>
        <source>Default: keyring.json in or beside the release</source>
        <translation>默认：会签包内或旁边的 keyring.json</translation>
    </message>
    <message>
        <source>Keyrings (*.json)</source>
        <translation>密钥环 (*.json)</translation>
    </message>
    <message>
        <source>Awaiting QC</source>
        <translation>待质检</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已入库</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>已替代</translation>
    </message>
    <message>
        <source>Data check-in</source>
        <translation>质检入库</translation>
    </message>
    <message>
        <source>Submit for check-in</source>
        <translation>提交质检入库</translation>
    </message>
    <message>
        <source>Note to the office (optional)</source>
        <translation>给办公室的说明（可选）</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Submission no.</source>
        <translation>提交序号</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>提交人</translation>
    </message>
    <message>
        <source>Submitted at</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>QC check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>BSM</source>
        <translation>标识码</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Coordinator's decision</source>
        <translation>协调人决定</translation>
    </message>
    <message>
        <source>Note to the party (required to return)</source>
        <translation>给提交单位的说明（退回时必填）</translation>
    </message>
    <message>
        <source>Accept despite QC errors</source>
        <translation>存在质检错误仍入库</translation>
    </message>
    <message>
        <source>Accept (check in)</source>
        <translation>确认入库</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Submitted version {} as submission {}: {} QC error(s), {} warning(s)</source>
        <translation>已提交版本 {}（第 {} 次提交）：质检错误 {} 个，警告 {} 个</translation>
    </message>
    <message>
        <source>Save QC report</source>
        <translation>保存质检报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;Excel (*.xlsx);;JSON (*.json)</source>
        <translation>PDF (*.pdf);;Excel (*.xlsx);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Saved {}</source>
        <translation>已保存 {}</translation>
    </message>
    <message>
        <source>This copy is at server version {}: that version of party {}'s data is submitted.</source>
        <translation>本副本位于服务器版本 {}：提交的是单位 {} 在该版本的数据。</translation>
    </message>
    <message>
        <source> (accepted despite QC errors)</source>
        <translation>（存在质检错误仍入库）</translation>
    </message>
    <message>
        <source>{} by {} at {}{}: {}</source>
        <translation>{}（{}，{}）{}：{}</translation>
    </message>
    <message>
        <source>QC of submission {} (version {}, {} features): {} error(s), {} warning(s).</source>
        <translation>第 {} 次提交（版本 {}，{} 个要素）质检：错误 {} 个，警告 {} 个。</translation>
    </message>
    <message>
        <source>Data check-in…</source>
        <translation>质检入库…</translation>
    </message>
    <message>
        <source>Export layers</source>
        <translation>导出图层</translation>
    </message>
    <message>
        <source>EPSG:4490 (lon/lat)</source>
        <translation>EPSG:4490（经纬度）</translation>
    </message>
    <message>
        <source>as the file says; e.g. EPSG:4549 if it does not</source>
        <translation>按文件声明；文件未声明时填写，如 EPSG:4549</translation>
    </message>
    <message>
        <source>as the file says (.cpg), else UTF-8</source>
        <translation>按文件声明（.cpg），否则为 UTF-8</translation>
    </message>
    <message>
        <source>Refuse the export and list them</source>
        <translation>拒绝导出并列出这些值</translation>
    </message>
    <message>
        <source>Cut them to fit (listed)</source>
        <translation>截短以适应字段（列出）</translation>
    </message>
    <message>
        <source>Continue them in FIELD_2, FIELD_3 … columns (listed)</source>
        <translation>续写到 FIELD_2、FIELD_3 … 列（列出）</translation>
    </message>
    <message>
        <source>Byte-order mark so Excel reads Chinese text</source>
        <translation>加字节顺序标记（BOM），使 Excel 正确显示中文</translation>
    </message>
    <message>
        <source>Save the full report…</source>
        <translation>保存完整报告…</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Encoding (Shapefile, CSV)</source>
        <translation>编码（Shapefile、CSV）</translation>
    </message>
    <message>
        <source>Text too long for a Shapefile field</source>
        <translation>超出 Shapefile 字段长度的文本</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>Into layer</source>
        <translation>导入到图层</translation>
    </message>
    <message>
        <source>Layer in the file</source>
        <translation>文件中的图层</translation>
    </message>
    <message>
        <source>CRS of the file</source>
        <translation>文件的坐标系</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>{} layer(s): {}</source>
        <translation>{} 个图层：{}</translation>
    </message>
    <message>
        <source>No layer chosen</source>
        <translation>未选择图层</translation>
    </message>
    <message>
        <source>Several layers go into one GeoPackage: choose a .gpkg file.</source>
        <translation>多个图层只能导出到一个 GeoPackage：请选择 .gpkg 文件。</translation>
    </message>
    <message>
        <source>{} ({} feature(s))</source>
        <translation>{}（{} 个要素）</translation>
    </message>
    <message>
        <source>{} text value(s) do not fit their Shapefile field: cut them or continue them in more columns (above), or export to GeoPackage.</source>
        <translation>{} 个文本值超出其 Shapefile 字段：请选择截短或续写到更多列（见上方选项），或导出为 GeoPackage。</translation>
    </message>
    <message>
        <source>… and {} more</source>
        <translation>… 另有 {} 个</translation>
    </message>
    <message>
        <source>Save the full report</source>
        <translation>保存完整报告</translation>
    </message>
    <message>
        <source>The full report was saved to {}</source>
        <translation>完整报告已保存到 {}</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <source>accepted exception</source>
        <translation>已认定例外</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Accepted by memo {} ({}), {}</source>
        <translation>依据纪要 {}（{}）认定，{}</translation>
    </message>
    <message>
        <source>{} new, {} still open, {} accepted, {} resolved</source>
        <translation>新增 {} 项，仍未处理 {} 项，已认定例外 {} 项，已解决 {} 项</translation>
    </message>
    <message>
        <source>on time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>未报送</translation>
    </message>
    <message>
        <source>not due yet</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>awaiting review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Implementation dashboard</source>
        <translation>实施看板</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Write progress report…</source>
        <translation>填报进展…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>牵头单位</translation>
    </message>
    <message>
        <source>Complete (planned ▏)</source>
        <translation>完成度（▏计划）</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Last reported</source>
        <translation>最近填报</translation>
    </message>
    <message>
        <source>Reporting</source>
        <translation>报送情况</translation>
    </message>
    <message>
        <source>Items reported</source>
        <translation>填报事项数</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Overdue (days)</source>
        <translation>逾期（天）</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>升级次数</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>To level</source>
        <translation>升至层级</translation>
    </message>
    <message>
        <source>By</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Memo no.</source>
        <translation>纪要编号</translation>
    </message>
    <message>
        <source>Agenda</source>
        <translation>议题数</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升级记录</translation>
    </message>
    <message>
        <source>Issues</source>
        <translation>问题清单</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部层级</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Nothing loaded yet.</source>
        <translation>尚未加载。</translation>
    </message>
    <message>
        <source>No implementation items in this copy yet: run the implementation sync.</source>
        <translation>此副本中尚无实施事项：请先运行实施同步。</translation>
    </message>
    <message>
        <source>Plan &lt;b&gt;{}&lt;/b&gt; complete, {} planned, as of {}. {}</source>
        <translation>规划总体完成 &lt;b&gt;{}&lt;/b&gt;，计划应完成 {}，截至 {}。{}</translation>
    </message>
    <message>
        <source>unresolved</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已销项</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>no memo yet</source>
        <translation>尚无纪要</translation>
    </message>
    <message>
        <source>Timeline: {}</source>
        <translation>进展时间线：{}</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>完成度</translation>
    </message>
    <message>
        <source>Report state</source>
        <translation>报告状态</translation>
    </message>
    <message>
        <source>{} · lead {}</source>
        <translation>{} · 牵头单位 {}</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>已被替代</translation>
    </message>
    <message>
        <source>rolled up</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Write progress report</source>
        <translation>填报进展报告</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>填报</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Complete %</source>
        <translation>完成百分比</translation>
    </message>
    <message>
        <source>Details of the selected item</source>
        <translation>所选事项详情</translation>
    </message>
    <message>
        <source>Progress (Chinese)</source>
        <translation>进展说明（中文）</translation>
    </message>
    <message>
        <source>Progress (English)</source>
        <translation>进展说明（英文）</translation>
    </message>
    <message>
        <source>Issue raised (Chinese)</source>
        <translation>提出问题（中文）</translation>
    </message>
    <message>
        <source>Issue raised (English)</source>
        <translation>提出问题（英文）</translation>
    </message>
    <message>
        <source>Evidence files</source>
        <translation>佐证材料</translation>
    </message>
    <message>
        <source>Leave empty when there is no issue</source>
        <translation>无问题时留空</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>立即发送</translation>
    </message>
    <message>
        <source>Tick at least one item to report on.</source>
        <translation>请至少勾选一个填报事项。</translation>
    </message>
    <message>
        <source>Saved in the outbox: it is sent with the next implementation sync.</source>
        <translation>已保存到发件箱：将在下次实施同步时发送。</translation>
    </message>
    <message>
        <source>Sent {} item(s); {} new event(s) pulled.</source>
        <translation>已发送 {} 项；拉取 {} 条新记录。</translation>
    </message>
    <message>
        <source>Your party leads or joins no item in this copy: run the implementation sync.</source>
        <translation>此副本中本单位没有牵头或参与的事项：请先运行实施同步。</translation>
    </message>
    <message>
        <source>Report of {} on {} item(s); {} waiting in the outbox.</source>
        <translation>{} 的进展报告，共 {} 个事项；发件箱中 {} 项待发送。</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>牵头</translation>
    </message>
    <message>
        <source>joins</source>
        <translation>参与</translation>
    </message>
    <message>
        <source>Details: {}</source>
        <translation>详情：{}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>PDF and images (*.pdf *.png *.jpg *.jpeg)</source>
        <translation>PDF 和图片 (*.pdf *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Implementation sync…</source>
        <translation>正在进行实施同步…</translation>
    </message>
    <message>
        <source>&amp;Implementation</source>
        <translation>实施(&amp;I)</translation>
    </message>
    <message>
        <source>Implementation dashboard…</source>
        <translation>实施看板…</translation>
    </message>
    <message>
        <source>Implementation sync</source>
        <translation>实施同步</translation>
    </message>
    <message>
        <source>{} ({} open, {} overdue)</source>
        <translation>{}（未销项 {}，逾期 {}）</translation>
    </message>
    <message>
        <source>Only a coordinator can review reports, escalate issues, plan meetings and record memos; this copy is not a coordinator's.</source>
        <translation>只有协调人可以审核报告、升级问题、安排会议和记录纪要；本副本不是协调人的副本。</translation>
    </message>
    <message>
        <source>Pulling the implementation log…</source>
        <translation>正在拉取实施日志…</translation>
    </message>
    <message>
        <source>Sending {} of {} to the server…</source>
        <translation>正在向服务器发送第 {} 项（共 {} 项）…</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <source>Reloading the dashboard…</source>
        <translation>正在刷新仪表板…</translation>
    </message>
    <message>
        <source>Done: {} command(s) sent; the dashboard shows the server's log.</source>
        <translation>完成：已发送 {} 条指令；仪表板显示服务器上的日志。</translation>
    </message>
    <message>
        <source>Escalate overdue issues</source>
        <translation>升级逾期问题</translation>
    </message>
    <message>
        <source>{} open issue(s) are past their due date as of {} and not yet escalated for it: each goes up one level.</source>
        <translation>有 {} 个未销项问题已逾期（截至 {}）且尚未因此升级：每个问题将升一级。</translation>
    </message>
    <message>
        <source>Escalate {} issue(s)</source>
        <translation>升级 {} 个问题</translation>
    </message>
    <message>
        <source>{} issue(s) escalated.</source>
        <translation>已升级 {} 个问题。</translation>
    </message>
    <message>
        <source>Escalate issue</source>
        <translation>升级问题</translation>
    </message>
    <message>
        <source>&lt;b&gt;{}&lt;/b&gt;&lt;br&gt;{} · owner {} · due {} → {}</source>
        <translation>&lt;b&gt;{}&lt;/b&gt;&lt;br&gt;{} · 责任单位 {} · 截止 {} → {}</translation>
    </message>
    <message>
        <source>Why it goes up a level</source>
        <translation>升级原因</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Give a reason for escalating.</source>
        <translation>请填写升级原因。</translation>
    </message>
    <message>
        <source>Escalated to {}.</source>
        <translation>已升级至 {}。</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>事项数</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>填报人</translation>
    </message>
    <message>
        <source>Narrative</source>
        <translation>进展说明</translation>
    </message>
    <message>
        <source>Why (required to return a report)</source>
        <translation>原因（退回报告时必填）</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Escalate overdue…</source>
        <translation>升级逾期问题…</translation>
    </message>
    <message>
        <source>Escalate…</source>
        <translation>升级…</translation>
    </message>
    <message>
        <source>Plan meeting…</source>
        <translation>安排会议…</translation>
    </message>
    <message>
        <source>Record memo…</source>
        <translation>记录纪要…</translation>
    </message>
    <message>
        <source>Reports to review ({})</source>
        <translation>待审核报告（{}）</translation>
    </message>
    <message>
        <source>Reports to review</source>
        <translation>待审核报告</translation>
    </message>
    <message>
        <source>late by {} day(s)</source>
        <translation>迟报 {} 天</translation>
    </message>
    <message>
        <source>Select a report and write a note saying why it goes back.</source>
        <translation>请选择一份报告并填写退回原因。</translation>
    </message>
    <message>
        <source>Write a note saying why the report goes back.</source>
        <translation>请填写退回报告的原因。</translation>
    </message>
    <message>
        <source>Report accepted.</source>
        <translation>报告已通过。</translation>
    </message>
    <message>
        <source>Report returned.</source>
        <translation>报告已退回。</translation>
    </message>
    <message>
        <source>due {} · {} · {}</source>
        <translation>截止 {} · {} · {}</translation>
    </message>
    <message>
        <source>Plan meeting</source>
        <translation>安排会议</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>参会单位</translation>
    </message>
    <message>
        <source>Agenda: open issues of this level</source>
        <translation>议程：本层级的未销项问题</translation>
    </message>
    <message>
        <source>Give the meeting a title.</source>
        <translation>请填写会议名称。</translation>
    </message>
    <message>
        <source>Meeting planned with {} issue(s) on the agenda.</source>
        <translation>会议已安排，议程含 {} 个问题。</translation>
    </message>
    <message>
        <source>Record memo</source>
        <translation>记录纪要</translation>
    </message>
    <message>
        <source>e.g. 沪都协纪〔2026〕12号</source>
        <translation>例如 沪都协纪〔2026〕12号</translation>
    </message>
    <message>
        <source>New due date</source>
        <translation>新截止日期</translation>
    </message>
    <message>
        <source>Text (Chinese)</source>
        <translation>正文（中文）</translation>
    </message>
    <message>
        <source>Text (English)</source>
        <translation>正文（英文）</translation>
    </message>
    <message>
        <source>A decision for each issue on the agenda</source>
        <translation>逐项决定议程中的问题</translation>
    </message>
    <message>
        <source>already closed</source>
        <translation>已销项</translation>
    </message>
    <message>
        <source>keep open</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>close</source>
        <translation>销项</translation>
    </message>
    <message>
        <source>escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Every meeting has its memo already.</source>
        <translation>所有会议均已有纪要。</translation>
    </message>
    <message>
        <source>Give the memo its number (纪要编号).</source>
        <translation>请填写纪要编号。</translation>
    </message>
    <message>
        <source>Memo {} recorded.</source>
        <translation>纪要 {} 已记录。</translation>
    </message>
    <message>
        <source>Select an open issue below level 3 first.</source>
        <translation>请先选择一个低于第 3 级的未销项问题。</translation>
    </message>
    <message>
        <source>Only a coordinator accepts a conflict as an exception or marks it resolved.</source>
        <translation>只有协调人可以将冲突认定为例外或标记为已解决。</translation>
    </message>
    <message>
        <source>Select conflicts and accept them as an exception, reopen them or mark them resolved.</source>
        <translation>选择冲突后，可将其认定为例外、重新打开或标记为已解决。</translation>
    </message>
    <message>
        <source>Accept as exception</source>
        <translation>认定为例外</translation>
    </message>
    <message>
        <source>e.g. 沪都协纪〔2025〕12号</source>
        <translation>例如：沪都协纪〔2025〕12号</translation>
    </message>
    <message>
        <source>Memo number (纪要编号)</source>
        <translation>纪要编号</translation>
    </message>
    <message>
        <source>Memo date</source>
        <translation>纪要日期</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>标记为已解决</translation>
    </message>
    <message>
        <source>No longer found: check again</source>
        <translation>已不再出现：重新检查</translation>
    </message>
    <message>
        <source>Accept as exception…</source>
        <translation>认定为例外…</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Mark resolved…</source>
        <translation>标记为已解决…</translation>
    </message>
    <message>
        <source>Checking again: conflicts no longer found become resolved.</source>
        <translation>正在重新检查：不再出现的冲突将标记为已解决。</translation>
    </message>
    <message>
        <source>{} conflict(s) will no longer be reported as open: cite the meeting memo (纪要) that approved them.</source>
        <translation>{} 处冲突将不再作为未处理冲突报告：请注明批准它们的会议纪要。</translation>
    </message>
    <message>
        <source>{} conflict(s): choose the change set that resolved them.</source>
        <translation>{} 处冲突：请选择解决它们的变更集。</translation>
    </message>
    <message>
        <source>Decision recorded for {} conflict(s).</source>
        <translation>已记录对 {} 处冲突的决定。</translation>
    </message>
    <message>
        <source>Five-year evaluation</source>
        <translation>五年一评估</translation>
    </message>
    <message>
        <source>Run evaluation</source>
        <translation>运行评估</translation>
    </message>
    <message>
        <source>Save XLSX…</source>
        <translation>保存 XLSX…</translation>
    </message>
    <message>
        <source>Assessed only</source>
        <translation>仅显示已评估指标</translation>
    </message>
    <message>
        <source>Hide indicators without this year's value, a base value or a 2035 target</source>
        <translation>隐藏缺少本年值、基期值或 2035 年目标的指标</translation>
    </message>
    <message>
        <source>Save the evaluation</source>
        <translation>保存评估结果</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Base year</source>
        <translation>基期年</translation>
    </message>
    <message>
        <source>Base value</source>
        <translation>基期值</translation>
    </message>
    <message>
        <source>2035 target</source>
        <translation>2035 年目标</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>时序进度</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Trend per year</source>
        <translation>年均变化</translation>
    </message>
    <message>
        <source>2035 by trend</source>
        <translation>2035 年趋势值</translation>
    </message>
    <message>
        <source>Run the evaluation to see progress towards the 2035 targets.</source>
        <translation>运行评估以查看实现 2035 年目标的进度。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Evaluation {}&lt;/b&gt; (base year {}, {} of the plan period gone): {}</source>
        <translation>&lt;b&gt;{} 年评估&lt;/b&gt;（基期 {} 年，规划期已过 {}）：{}</translation>
    </message>
    <message>
        <source>Saved the evaluation to {}.</source>
        <translation>评估结果已保存至 {}。</translation>
    </message>
    <message>
        <source>Five-year evaluation…</source>
        <translation>五年一评估…</translation>
    </message>
    <message>
        <source>Open a project first.</source>
        <translation>请先打开一个项目。</translation>
    </message>
    <message>
        <source>Milestones</source>
        <translation>里程碑</translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation>里程碑</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成情况</translation>
    </message>
    <message>
        <source>not done, overdue</source>
        <translation>逾期未完成</translation>
    </message>
    <message>
        <source>due this month</source>
        <translation>本月到期</translation>
    </message>
    <message>
        <source>Milestones done</source>
        <translation>本期完成的里程碑</translation>
    </message>
    <message>
        <source>{} (due {})</source>
        <translation>{}（{}到期）</translation>
    </message>
    <message>
        <source>Next milestone: {} (due {})</source>
        <translation>下一个里程碑：{}（{}到期）</translation>
    </message>
</context>
</TS>