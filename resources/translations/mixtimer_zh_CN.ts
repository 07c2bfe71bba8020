<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AboutDialog</name>
    <message>
      <source>About MixTimer</source>
      <translation>关于 MixTimer</translation>
    </message>
    <message>
      <source>A maintenance planner for maintenance supervisors: plans, reminders, records.</source>
      <translation>面向维保主管的维保计划工具:计划、提醒、记录。</translation>
    </message>
    <message>
      <source>Database:</source>
      <translation>数据库:</translation>
    </message>
    <message>
      <source>(the database is still opening)</source>
      <translation>(数据库仍在打开)</translation>
    </message>
    <message>
      <source>&amp;Copy versions</source>
      <translation>复制版本信息(&amp;C)</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>App</name>
    <message>
      <source>MixTimer cannot open its database</source>
      <translation>MixTimer 无法打开数据库</translation>
    </message>
    <message>
      <source>The database %1 could not be opened:

%2

Check the path (--db or MIXTIMER_DB) and that the file is not from a newer version of MixTimer.</source>
      <translation>无法打开数据库 %1:

%2

请检查路径(--db 或 MIXTIMER_DB),并确认该文件不是由更新版本的 MixTimer 创建的。</translation>
    </message>
    <message>
      <source>The action API server did not start: %1</source>
      <translation>动作 API 服务未能启动:%1</translation>
    </message>
    <message>
      <source>The database is damaged</source>
      <translation>数据库已损坏</translation>
    </message>
    <message>
      <source>The daily check found the database damaged:

%1

Close MixTimer and start it again: it will offer to restore the newest good backup. The damaged file is kept.</source>
      <translation>每日检查发现数据库已损坏:

%1

请关闭 MixTimer 后重新启动:启动时会提供恢复到最新的完好备份。损坏的文件会被保留。</translation>
    </message>
  </context>
  <context>
    <name>CalendarExport</name>
    <message>
      <source>Export calendar</source>
      <translation>导出日历</translation>
    </message>
    <message>
      <source>Also list the fixed plans' occurrences due within this many days:</source>
      <translation>按计划时间的维保,同时列出多少天内的后续到期:</translation>
    </message>
    <message>
      <source>iCalendar files (*.ics)</source>
      <translation>iCalendar 文件 (*.ics)</translation>
    </message>
    <message>
      <source>%1 events written to %2</source>
      <translation>已将 %1 个日程写入 %2</translation>
    </message>
    <message>
      <source>The calendar could not be written: %1</source>
      <translation>日历未能写入:%1</translation>
    </message>
  </context>
  <context>
    <name>CatalogDialog</name>
    <message>
      <source>Leave empty to number it automatically</source>
      <translation>留空则自动编号</translation>
    </message>
    <message>
      <source>Short name; empty = the name</source>
      <translation>简称;留空则与名称相同</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
  </context>
  <context>
    <name>CatalogTab</name>
    <message>
      <source>Edit…</source>
      <translation>编辑…</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Cannot delete</source>
      <translation>无法删除</translation>
    </message>
  </context>
  <context>
    <name>ChannelDialog</name>
    <message>
      <source>Notification channel</source>
      <translation>通知渠道</translation>
    </message>
    <message>
      <source>&amp;Name:</source>
      <translation>名称(&amp;N):</translation>
    </message>
    <message>
      <source>&amp;Sends to:</source>
      <translation>发送到(&amp;S):</translation>
    </message>
    <message>
      <source>Webhook &amp;address:</source>
      <translation>Webhook 地址(&amp;A):</translation>
    </message>
    <message>
      <source>Si&amp;gning secret:</source>
      <translation>加签密钥(&amp;G):</translation>
    </message>
    <message>
      <source>JSON &amp;body:</source>
      <translation>JSON 请求体(&amp;B):</translation>
    </message>
    <message>
      <source>SMTP se&amp;rver:</source>
      <translation>SMTP 服务器(&amp;R):</translation>
    </message>
    <message>
      <source>P&amp;ort:</source>
      <translation>端口(&amp;O):</translation>
    </message>
    <message>
      <source>&amp;Encryption:</source>
      <translation>加密方式(&amp;E):</translation>
    </message>
    <message>
      <source>&amp;User name:</source>
      <translation>用户名(&amp;U):</translation>
    </message>
    <message>
      <source>Pass&amp;word:</source>
      <translation>密码(&amp;W):</translation>
    </message>
    <message>
      <source>&amp;From:</source>
      <translation>发件人(&amp;F):</translation>
    </message>
    <message>
      <source>&amp;To:</source>
      <translation>收件人(&amp;T):</translation>
    </message>
    <message>
      <source>Sends:</source>
      <translation>发送:</translation>
    </message>
    <message>
      <source>&amp;Digest at:</source>
      <translation>日报时间(&amp;D):</translation>
    </message>
    <message>
      <source>&amp;Projects:</source>
      <translation>项目(&amp;P):</translation>
    </message>
    <message>
      <source>&amp;Line template:</source>
      <translation>消息模板(&amp;L):</translation>
    </message>
    <message>
      <source>Acti&amp;ve</source>
      <translation>启用(&amp;V)</translation>
    </message>
    <message>
      <source>addresses, separated by commas</source>
      <translation>多个地址用逗号分隔</translation>
    </message>
    <message>
      <source>the SEC… secret, if the robot signs</source>
      <translation>机器人启用加签时的 SEC… 密钥</translation>
    </message>
    <message>
      <source>None ticked: every project.</source>
      <translation>都不勾选:所有项目。</translation>
    </message>
    <message>
      <source>Placeholders: %1. None ticked under Projects means every project.</source>
      <translation>可用占位符:%1。项目都不勾选表示所有项目。</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>确定</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
  </context>
  <context>
    <name>ChannelsBox</name>
    <message>
      <source>Notification channels</source>
      <translation>通知渠道</translation>
    </message>
    <message>
      <source>A&amp;dd…</source>
      <translation>添加(&amp;D)…</translation>
    </message>
    <message>
      <source>Ed&amp;it…</source>
      <translation>编辑(&amp;I)…</translation>
    </message>
    <message>
      <source>Re&amp;move</source>
      <translation>删除(&amp;M)</translation>
    </message>
    <message>
      <source>Send &amp;test message</source>
      <translation>发送测试消息(&amp;T)</translation>
    </message>
    <message>
      <source>Deli&amp;very log…</source>
      <translation>投递记录(&amp;V)…</translation>
    </message>
    <message>
      <source>Reminders also go to these group robots, web hooks and mailboxes.</source>
      <translation>提醒也会发送到这些群机器人、Webhook 和邮箱。</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>nothing</source>
      <translation>无</translation>
    </message>
    <message>
      <source>(off)</source>
      <translation>(已停用)</translation>
    </message>
    <message>
      <source>No channel yet: reminders show in the tray and the reminder centre only.</source>
      <translation>尚无通知渠道:提醒只显示在托盘和提醒中心。</translation>
    </message>
    <message>
      <source>Remove channel</source>
      <translation>删除通知渠道</translation>
    </message>
    <message>
      <source>Remove the channel “%1”? Messages it still owes are dropped; its delivery log stays.</source>
      <translation>删除通知渠道“%1”?尚未发出的消息将不再发送;投递记录保留。</translation>
    </message>
    <message>
      <source>Sending a test message to “%1”…</source>
      <translation>正在向“%1”发送测试消息…</translation>
    </message>
    <message>
      <source>“%1” took the test message: %2</source>
      <translation>“%1”已收到测试消息:%2</translation>
    </message>
    <message>
      <source>“%1” did not take the test message: %2</source>
      <translation>“%1”未能收到测试消息:%2</translation>
    </message>
  </context>
  <context>
    <name>CheckToggle</name>
    <message>
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Abnormal</source>
      <translation>异常</translation>
    </message>
    <message>
      <source>Not checked (Space)</source>
      <translation>未检查(空格键)</translation>
    </message>
  </context>
  <context>
    <name>ChecklistEditor</name>
    <message>
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <source>Measure</source>
      <translation>测量</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>检查项</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Min</source>
      <translation>下限</translation>
    </message>
    <message>
      <source>Max</source>
      <translation>上限</translation>
    </message>
    <message>
      <source>Req.</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>Required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>Check: OK or Abnormal. Measure: a number, abnormal outside Min–Max. Text: a note.</source>
      <translation>检查:正常或异常。测量:填数字,超出下限–上限即为异常。文本:备注。</translation>
    </message>
    <message>
      <source>Add &amp;item</source>
      <translation>添加检查项(&amp;I)</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <source>Up</source>
      <translation>上移</translation>
    </message>
    <message>
      <source>Down</source>
      <translation>下移</translation>
    </message>
  </context>
  <context>
    <name>ChecklistPanel</name>
    <message>
      <source>number</source>
      <translation>数字</translation>
    </message>
  </context>
  <context>
    <name>DatabaseBox</name>
    <message>
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <source>Now open:</source>
      <translation>当前数据库:</translation>
    </message>
    <message>
      <source>Team mode: a PostgreSQL database shared by every workstation</source>
      <translation>团队模式：所有工作站共用的 PostgreSQL 数据库</translation>
    </message>
    <message>
      <source>This workstation only: a SQLite file</source>
      <translation>单机模式：本工作站的 SQLite 文件</translation>
    </message>
    <message>
      <source>the same; or a file, or postgresql://user@host/dbname</source>
      <translation>不变；或一个文件，或 postgresql://用户@主机/数据库名</translation>
    </message>
    <message>
      <source>Test &amp;connection</source>
      <translation>测试连接(&amp;C)</translation>
    </message>
    <message>
      <source>In team mode the program makes no file backups: the database lives on the server. Back it up there with pg_dump, for example:</source>
      <translation>团队模式下本程序不做文件备份：数据库在服务器上，请在服务器上用 pg_dump 备份，例如：</translation>
    </message>
    <message>
      <source>At &amp;next start:</source>
      <translation>下次启动时(&amp;N):</translation>
    </message>
    <message>
      <source>Used from the next start on, by the window and by the commands (serve, export-handles …), unless --db or MIXTIMER_DB names a database. Never type a password here: each workstation keeps it in its own .pgpass file.</source>
      <translation>下次启动起，窗口和命令(serve、export-handles 等)都使用这里的位置(命令行 --db 或环境变量 MIXTIMER_DB 指定的数据库优先)。不要在这里输入密码：密码由每台工作站保存在自己的 .pgpass 文件里。</translation>
    </message>
    <message>
      <source>Cop&amp;y</source>
      <translation>复制(&amp;Y)</translation>
    </message>
    <message>
      <source>E&amp;xport offline copy…</source>
      <translation>导出离线副本(&amp;X)…</translation>
    </message>
    <message>
      <source>A SQLite file with every record, which opens on any computer by itself (single-workstation mode).</source>
      <translation>包含全部记录的 SQLite 文件，可在任何电脑上单独打开(单机模式)。</translation>
    </message>
    <message>
      <source>The location could not be kept for the next start: %1</source>
      <translation>无法保存下次启动使用的位置：%1</translation>
    </message>
    <message>
      <source>Connecting…</source>
      <translation>正在连接…</translation>
    </message>
    <message>
      <source>Connected: the server answers and the database is there.</source>
      <translation>连接成功：服务器有应答，数据库存在。</translation>
    </message>
    <message>
      <source>The file %1 exists.</source>
      <translation>文件 %1 存在。</translation>
    </message>
    <message>
      <source>The file %1 does not exist yet: it will be created at the next start.</source>
      <translation>文件 %1 还不存在：下次启动时会新建。</translation>
    </message>
    <message>
      <source>Export offline copy</source>
      <translation>导出离线副本</translation>
    </message>
    <message>
      <source>Databases (*.db)</source>
      <translation>数据库 (*.db)</translation>
    </message>
    <message>
      <source>Copying…</source>
      <translation>正在复制…</translation>
    </message>
    <message>
      <source>Copied %1 records into %2; every table's count and checksum match.</source>
      <translation>已复制 %1 条记录到 %2;每张表的行数和校验和都核对一致。</translation>
    </message>
  </context>
  <context>
    <name>DeliveryLogDialog</name>
    <message>
      <source>Delivery log</source>
      <translation>投递记录</translation>
    </message>
    <message>
      <source>&amp;Refresh</source>
      <translation>刷新(&amp;R)</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>%1 messages shown; %2 waiting, %3 failed</source>
      <translation>显示 %1 条消息;待发送 %2 条,失败 %3 条</translation>
    </message>
  </context>
  <context>
    <name>DeliveryLogModel</name>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>渠道</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>What</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Attempts</source>
      <translation>尝试次数</translation>
    </message>
    <message>
      <source>Server's answer</source>
      <translation>服务器应答</translation>
    </message>
    <message>
      <source>(removed)</source>
      <translation>(已删除)</translation>
    </message>
  </context>
  <context>
    <name>DemoMaker</name>
    <message>
      <source>Building the demo database…</source>
      <translation>正在生成演示数据库…</translation>
    </message>
    <message>
      <source>Demo database</source>
      <translation>演示数据库</translation>
    </message>
    <message>
      <source>The demo database could not be built: %1</source>
      <translation>无法生成演示数据库:%1</translation>
    </message>
  </context>
  <context>
    <name>DueCalendar</name>
    <message>
      <source>%1 task(s) due</source>
      <translation>%1 项维保到期</translation>
    </message>
  </context>
  <context>
    <name>EditHandleDialog</name>
    <message>
      <source>Edit record</source>
      <translation>编辑记录</translation>
    </message>
    <message>
      <source>Done by</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>The task, the times and the cycle stay as they are; the change is kept in the history.</source>
      <translation>任务、时间和周期保持不变;修改会记入操作日志。</translation>
    </message>
  </context>
  <context>
    <name>ErrorDialog</name>
    <message>
      <source>MixTimer: unexpected error</source>
      <translation>MixTimer:意外错误</translation>
    </message>
    <message>
      <source>Copy details</source>
      <translation>复制详情</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
  </context>
  <context>
    <name>ErrorHook</name>
    <message>
      <source> It was written to the log: %1</source>
      <translation> 已写入日志:%1</translation>
    </message>
    <message>
      <source>Something went wrong, but MixTimer keeps running and your saved data is safe. If it happens again, copy the details and send them to support.</source>
      <translation>出了点问题,但 MixTimer 仍在运行,已保存的数据是安全的。如果再次发生,请复制详情并发送给技术支持。</translation>
    </message>
  </context>
  <context>
    <name>Fields</name>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Cycle type</source>
      <translation>周期类型</translation>
    </message>
    <message>
      <source>Statistic</source>
      <translation>统计项</translation>
    </message>
    <message>
      <source>Cycle length</source>
      <translation>周期</translation>
    </message>
    <message>
      <source>Cycle unit</source>
      <translation>周期单位</translation>
    </message>
    <message>
      <source>Remind before</source>
      <translation>提前提醒</translation>
    </message>
    <message>
      <source>Reminder unit</source>
      <translation>提醒单位</translation>
    </message>
    <message>
      <source>Next cycle starts</source>
      <translation>下个周期起算</translation>
    </message>
    <message>
      <source>Maintenance guide</source>
      <translation>维保指南</translation>
    </message>
    <message>
      <source>Objects</source>
      <translation>维保对象</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Done by</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Pictures</source>
      <translation>图片</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Overdue repeat</source>
      <translation>逾期重复提醒间隔</translation>
    </message>
    <message>
      <source>Meter interval</source>
      <translation>读数间隔</translation>
    </message>
    <message>
      <source>Checklist</source>
      <translation>检查清单</translation>
    </message>
  </context>
  <context>
    <name>GuideDialog</name>
    <message>
      <source>MixTimer user guide</source>
      <translation>MixTimer 使用指南</translation>
    </message>
    <message>
      <source>Search the guide (Ctrl+F)</source>
      <translation>搜索指南(Ctrl+F)</translation>
    </message>
    <message>
      <source>Contents</source>
      <translation>目录</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>On: served while this window is open (Settings → Action API server).</source>
      <translation>已开启:本窗口打开期间提供服务(设置 → 动作 API 服务)。</translation>
    </message>
    <message>
      <source>Off. Turn it on in Settings → Action API server, or run “mixtimer-gui serve”.</source>
      <translation>未开启。可在“设置 → 动作 API 服务”中开启,或运行“mixtimer-gui serve”。</translation>
    </message>
    <message>
      <source>Set: every request must carry it (Settings → Action API server shows it).</source>
      <translation>已设置:每个请求都必须带上令牌(可在“设置 → 动作 API 服务”中查看)。</translation>
    </message>
    <message>
      <source>None: requests need no token. A bind address other than 127.0.0.1 would need one.</source>
      <translation>未设置:请求无需令牌。绑定 127.0.0.1 以外的地址时必须设置令牌。</translation>
    </message>
    <message>
      <source>Projects</source>
      <translation>维保项目</translation>
    </message>
    <message>
      <source>Tasks</source>
      <translation>维保任务</translation>
    </message>
    <message>
      <source>Handles</source>
      <translation>维保记录</translation>
    </message>
    <message>
      <source>Objects</source>
      <translation>维保对象</translation>
    </message>
    <message>
      <source>Statistics and readings</source>
      <translation>统计与读数</translation>
    </message>
    <message>
      <source>People who handle</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Records</source>
      <translation>记录</translation>
    </message>
    <message>
      <source>Actions</source>
      <translation>动作</translation>
    </message>
    <message>
      <source>Object number</source>
      <translation>对象编号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Statistic number</source>
      <translation>统计编号</translation>
    </message>
    <message>
      <source>Reading</source>
      <translation>读数</translation>
    </message>
    <message>
      <source>Time read</source>
      <translation>读数时间</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Accepted column names</source>
      <translation>可用的列名</translation>
    </message>
    <message>
      <source>Required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>Column</source>
      <translation>列</translation>
    </message>
    <message>
      <source>Wire name (--wire-header)</source>
      <translation>接口字段名(--wire-header)</translation>
    </message>
    <message>
      <source>(the database is still opening)</source>
      <translation>(数据库仍在打开)</translation>
    </message>
    <message numerus="yes">
      <source>%n hit(s)</source>
      <translation>
        <numerusform>%n 处</numerusform>
      </translation>
    </message>
    <message>
      <source>Not found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>&lt;token&gt;</source>
      <translation>&lt;令牌&gt;</translation>
    </message>
  </context>
  <context>
    <name>HandleDetail</name>
    <message>
      <source>Pictures</source>
      <translation>图片</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Done at</source>
      <translation>完成时间</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Done by</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Cycle due</source>
      <translation>周期到期</translation>
    </message>
    <message>
      <source>On time</source>
      <translation>按时</translation>
    </message>
    <message>
      <source>Skipped cycles</source>
      <translation>跳过的周期</translation>
    </message>
    <message>
      <source>Operator</source>
      <translation>操作员</translation>
    </message>
    <message>
      <source>Voided</source>
      <translation>已作废</translation>
    </message>
    <message>
      <source>Void reason</source>
      <translation>作废原因</translation>
    </message>
    <message>
      <source>Select a record to see its details.</source>
      <translation>选择一条记录以查看详情。</translation>
    </message>
    <message>
      <source>Ignored cycle</source>
      <translation>已忽略的周期</translation>
    </message>
    <message>
      <source>Maintenance record</source>
      <translation>维保记录</translation>
    </message>
    <message>
      <source>Checklist</source>
      <translation>检查清单</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No, late</source>
      <translation>否,逾期</translation>
    </message>
    <message>
      <source>This workstation</source>
      <translation>本机</translation>
    </message>
    <message>
      <source>Operator %1</source>
      <translation>操作员 %1</translation>
    </message>
  </context>
  <context>
    <name>HandleDialog</name>
    <message>
      <source>Handle task</source>
      <translation>处理任务</translation>
    </message>
    <message>
      <source>e.g. Replaced the filter; all normal</source>
      <translation>例如:更换滤芯,一切正常</translation>
    </message>
    <message>
      <source>Checklist</source>
      <translation>检查清单</translation>
    </message>
    <message>
      <source>When the work was done; the next cycle starts then.</source>
      <translation>工作实际完成的时间;下一周期从此时开始。</translation>
    </message>
    <message>
      <source>Done at</source>
      <translation>完成时间</translation>
    </message>
    <message>
      <source>Done by</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Pictures</source>
      <translation>图片</translation>
    </message>
    <message>
      <source>Handle</source>
      <translation>处理</translation>
    </message>
    <message>
      <source>Pictures cannot be stored: this database has no data folder.</source>
      <translation>无法保存图片:该数据库没有数据文件夹。</translation>
    </message>
  </context>
  <context>
    <name>HandlerPicker</name>
    <message>
      <source>New person's name</source>
      <translation>新处理人姓名</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>添加</translation>
    </message>
  </context>
  <context>
    <name>HandlesTab</name>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Done by</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>All time</source>
      <translation>全部时间</translation>
    </message>
    <message>
      <source>Handled and ignored</source>
      <translation>已处理和已忽略</translation>
    </message>
    <message>
      <source>Handled only</source>
      <translation>仅已处理</translation>
    </message>
    <message>
      <source>Ignored only</source>
      <translation>仅已忽略</translation>
    </message>
    <message>
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <source>Export the records the filters show, as CSV or as an Excel workbook</source>
      <translation>将筛选出的记录导出为 CSV 或 Excel 工作簿</translation>
    </message>
    <message>
      <source>Show voided</source>
      <translation>显示已作废</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>编辑…</translation>
    </message>
    <message>
      <source>Correct who did it, the fee, the result or the description</source>
      <translation>更正处理人、费用、结果或描述</translation>
    </message>
    <message>
      <source>Void…</source>
      <translation>作废…</translation>
    </message>
    <message>
      <source>History…</source>
      <translation>历史…</translation>
    </message>
    <message>
      <source>Withdraw a mistaken record (a task's latest)</source>
      <translation>撤销一条录错的记录(任务最新的一条)</translation>
    </message>
    <message>
      <source>Abnormal only</source>
      <translation>仅看异常</translation>
    </message>
    <message>
      <source>Records whose checklist found something abnormal or out of limits</source>
      <translation>检查清单中有异常项或超出限值的记录</translation>
    </message>
    <message>
      <source>Export checklist results…</source>
      <translation>导出检查结果…</translation>
    </message>
    <message>
      <source>One row per checklist item of the records the filters show, for pivot tables</source>
      <translation>筛选出的记录中每个检查项一行,便于做数据透视表</translation>
    </message>
    <message>
      <source>No maintenance records yet</source>
      <translation>还没有维保记录</translation>
    </message>
    <message>
      <source>A record is written when a task is handled or ignored on the Tasks tab: who did it, the fee, the result and photos. Records are history and stay when projects change.</source>
      <translation>在“维保任务”页处理或忽略任务时会写下一条记录:谁做的、费用、结果和照片。记录是历史,项目改变时也会保留。</translation>
    </message>
    <message>
      <source>Go to tasks</source>
      <translation>前往维保任务</translation>
    </message>
    <message>
      <source>Counting…</source>
      <translation>正在统计…</translation>
    </message>
    <message>
      <source>Searching…</source>
      <translation>正在搜索…</translation>
    </message>
    <message>
      <source>All projects</source>
      <translation>全部项目</translation>
    </message>
    <message>
      <source>[Voided] %1</source>
      <translation>[已作废] %1</translation>
    </message>
    <message>
      <source>Search result, description, project, object…</source>
      <translation>搜索处理结果、描述、项目、对象…</translation>
    </message>
    <message>
      <source>All objects</source>
      <translation>全部对象</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>所有人</translation>
    </message>
    <message numerus="yes">
      <source>%n record(s)</source>
      <translation>
        <numerusform>%n 条记录</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>HelpActions</name>
    <message>
      <source>&amp;User guide</source>
      <translation>使用指南(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
      <source>Open the &amp;data folder</source>
      <translation>打开数据文件夹(&amp;D)</translation>
    </message>
    <message>
      <source>Data folder</source>
      <translation>数据文件夹</translation>
    </message>
    <message>
      <source>No file manager could be opened. The data folder is:
%1</source>
      <translation>无法打开文件管理器。数据文件夹位于:
%1</translation>
    </message>
  </context>
  <context>
    <name>HistoryDialog</name>
    <message>
      <source>History</source>
      <translation>操作日志</translation>
    </message>
    <message>
      <source>Record number</source>
      <translation>记录编号</translation>
    </message>
    <message>
      <source>Operator</source>
      <translation>操作员</translation>
    </message>
    <message>
      <source>All actions</source>
      <translation>全部操作</translation>
    </message>
    <message>
      <source>All time</source>
      <translation>全部时间</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message numerus="yes">
      <source>%n change(s)</source>
      <translation>
        <numerusform>%n 条修改</numerusform>
      </translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>From</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <source>Changes</source>
      <translation>修改内容</translation>
    </message>
    <message>
      <source>Record a handle</source>
      <translation>记录处理</translation>
    </message>
    <message>
      <source>Skip a cycle</source>
      <translation>跳过周期</translation>
    </message>
    <message>
      <source>Correct a handle</source>
      <translation>更正处理记录</translation>
    </message>
    <message>
      <source>Void a handle</source>
      <translation>作废处理记录</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建维保项目</translation>
    </message>
    <message>
      <source>Edit project</source>
      <translation>编辑维保项目</translation>
    </message>
    <message>
      <source>Delete project</source>
      <translation>删除项目</translation>
    </message>
    <message>
      <source>Start project</source>
      <translation>启动项目</translation>
    </message>
    <message>
      <source>Stop project</source>
      <translation>停止项目</translation>
    </message>
    <message>
      <source>Restart project</source>
      <translation>重启项目</translation>
    </message>
    <message>
      <source>New object</source>
      <translation>新建对象</translation>
    </message>
    <message>
      <source>Edit object</source>
      <translation>编辑对象</translation>
    </message>
    <message>
      <source>Delete object</source>
      <translation>删除对象</translation>
    </message>
    <message>
      <source>New statistic</source>
      <translation>新建统计项</translation>
    </message>
    <message>
      <source>Edit statistic</source>
      <translation>编辑统计项</translation>
    </message>
    <message>
      <source>Delete statistic</source>
      <translation>删除统计项</translation>
    </message>
    <message>
      <source>Add reading</source>
      <translation>添加读数</translation>
    </message>
    <message>
      <source>New person</source>
      <translation>新增处理人</translation>
    </message>
    <message>
      <source>Save channel</source>
      <translation>保存通知渠道</translation>
    </message>
    <message>
      <source>Delete channel</source>
      <translation>删除通知渠道</translation>
    </message>
    <message>
      <source>Operator %1</source>
      <translation>操作员 %1</translation>
    </message>
    <message>
      <source>This workstation</source>
      <translation>本机</translation>
    </message>
    <message>
      <source>Window</source>
      <translation>窗口</translation>
    </message>
    <message>
      <source>API</source>
      <translation>API</translation>
    </message>
    <message>
      <source>Command line</source>
      <translation>命令行</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Export history</source>
      <translation>导出操作日志</translation>
    </message>
    <message>
      <source>The file could not be written: %1</source>
      <translation>无法写入文件:%1</translation>
    </message>
  </context>
  <context>
    <name>Humanize</name>
    <message>
      <source>Normal</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已到期</translation>
    </message>
    <message>
      <source>Not started</source>
      <translation>未启动</translation>
    </message>
    <message>
      <source>Calendar cycle</source>
      <translation>自然时间周期</translation>
    </message>
    <message>
      <source>Meter cycle</source>
      <translation>统计周期</translation>
    </message>
    <message>
      <source>Whichever comes first</source>
      <translation>先到周期</translation>
    </message>
    <message>
      <source>by time</source>
      <translation>按时间</translation>
    </message>
    <message>
      <source>by meter</source>
      <translation>按读数</translation>
    </message>
    <message>
      <source>From completion</source>
      <translation>按完成时间</translation>
    </message>
    <message>
      <source>Fixed plan</source>
      <translation>按计划时间</translation>
    </message>
    <message>
      <source>hour</source>
      <translation>时</translation>
    </message>
    <message>
      <source>day</source>
      <translation>日</translation>
    </message>
    <message>
      <source>week</source>
      <translation>周</translation>
    </message>
    <message>
      <source>month</source>
      <translation>月</translation>
    </message>
    <message>
      <source>year</source>
      <translation>年</translation>
    </message>
    <message>
      <source>Ignored</source>
      <translation>忽略</translation>
    </message>
    <message>
      <source>Abnormal</source>
      <translation>异常</translation>
    </message>
    <message numerus="yes">
      <source>due in %n day(s)</source>
      <translation>
        <numerusform>%n 天后到期</numerusform>
      </translation>
    </message>
    <message>
      <source>due today</source>
      <translation>今天到期</translation>
    </message>
    <message>
      <source>every %1 %2</source>
      <translation>每 %1 %2</translation>
    </message>
    <message numerus="yes">
      <source>every %n day(s)</source>
      <translation>
        <numerusform>每 %n 日</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n hour(s)</source>
      <translation>
        <numerusform>每 %n 小时</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n month(s)</source>
      <translation>
        <numerusform>每 %n 个月</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n week(s)</source>
      <translation>
        <numerusform>每 %n 周</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>every %n year(s)</source>
      <translation>
        <numerusform>每 %n 年</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>overdue by %n day(s)</source>
      <translation>
        <numerusform>逾期 %n 天</numerusform>
      </translation>
    </message>
    <message>
      <source>overdue since today</source>
      <translation>今天已到期</translation>
    </message>
    <message numerus="yes">
      <source>%n day(s) before</source>
      <translation>
        <numerusform>提前 %n 天</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n month(s) before</source>
      <translation>
        <numerusform>提前 %n 个月</numerusform>
      </translation>
    </message>
    <message>
      <source>at due time</source>
      <translation>到期时</translation>
    </message>
    <message>
      <source>%1 or %2, whichever first</source>
      <translation>%1或 %2,先到为准</translation>
    </message>
  </context>
  <context>
    <name>IgnoreDialog</name>
    <message>
      <source>Ignore this cycle</source>
      <translation>忽略本周期</translation>
    </message>
    <message>
      <source>The task's next cycle starts now, as after a handle. The record is kept with the result “Ignored”.</source>
      <translation>任务的下一个周期从现在开始,与处理后相同。记录会保留,结果为“忽略”。</translation>
    </message>
    <message>
      <source>Why is this cycle skipped?</source>
      <translation>为什么跳过本周期?</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Ignore</source>
      <translation>忽略</translation>
    </message>
  </context>
  <context>
    <name>ImageAttachments</name>
    <message>
      <source>Add pictures…</source>
      <translation>添加图片…</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <source>or drop picture files here</source>
      <translation>或将图片文件拖放到这里</translation>
    </message>
    <message>
      <source>Attach pictures</source>
      <translation>附加图片</translation>
    </message>
    <message>
      <source>Pictures (%1)</source>
      <translation>图片(%1)</translation>
    </message>
  </context>
  <context>
    <name>ImageViewer</name>
    <message>
      <source>This image cannot be shown: the file is missing or is not a picture.</source>
      <translation>无法显示此图片:文件缺失或不是图片。</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <source>First rows:</source>
      <translation>前几行:</translation>
    </message>
    <message numerus="yes">
      <source>Update the %n object(s) whose number is already there, from this file</source>
      <translation>
        <numerusform>用本文件更新编号已存在的 %n 个对象</numerusform>
      </translation>
    </message>
    <message>
      <source>The file's columns replace those fields (an empty cell clears one); the columns the file does not have stay as they are.</source>
      <translation>文件中有的列替换对象的相应内容(空单元格即清空);文件中没有的列保持不变。</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message numerus="yes">
      <source>Import the good rows (%n)</source>
      <translation>
        <numerusform>只导入正确的行(%n)</numerusform>
      </translation>
    </message>
    <message>
      <source>%1: %2 row(s), %3 encoding.</source>
      <translation>%1:%2 行,编码 %3。</translation>
    </message>
    <message>
      <source>%1 row(s) are bad; nothing is imported unless you choose to import the %2 good row(s).</source>
      <translation>%1 行有误;除非选择导入 %2 行正确的数据,否则不会导入任何内容。</translation>
    </message>
    <message>
      <source>All rows are good: %1 %2 will be imported.</source>
      <translation>所有行均正确:将导入 %1 %2。</translation>
    </message>
    <message numerus="yes">
      <source>%n existing object(s) will be updated.</source>
      <translation>
        <numerusform>其中 %n 个已有对象将被更新。</numerusform>
      </translation>
    </message>
    <message>
      <source>Columns not used: %1.</source>
      <translation>未使用的列:%1。</translation>
    </message>
    <message>
      <source>The columns this import reads:</source>
      <translation>本导入读取的列:</translation>
    </message>
    <message>
      <source>Bad rows:</source>
      <translation>有误的行:</translation>
    </message>
    <message>
      <source>Bad rows (the first %1 of %2):</source>
      <translation>有误的行(共 %2 行,显示前 %1 行):</translation>
    </message>
    <message>
      <source>Line</source>
      <translation>行号</translation>
    </message>
    <message>
      <source>Column</source>
      <translation>列</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
  </context>
  <context>
    <name>ImportStartDialog</name>
    <message>
      <source>Choose a CSV file (UTF-8 or GBK, as Excel saves it) whose first row names the columns. Any of the names in a row is read as that field; other columns are left out and named in the preview. Nothing is imported before the preview.</source>
      <translation>请选择一个 CSV 文件(UTF-8 或 GBK 编码,即 Excel 保存的格式),第一行为列名。同一行中的任一列名都会被读作该字段;其他列不导入,并会在预览中列出。预览之前不会导入任何内容。</translation>
    </message>
    <message>
      <source>Start from a template: a file with just the header row, to fill in with Excel.</source>
      <translation>可以从模板开始:模板文件只有表头一行,用 Excel 填写即可。</translation>
    </message>
    <message>
      <source>Save a &amp;template…</source>
      <translation>保存模板(&amp;T)…</translation>
    </message>
    <message>
      <source>&amp;Choose file…</source>
      <translation>选择文件(&amp;C)…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>objects-template</source>
      <translation>维保对象导入模板</translation>
    </message>
    <message>
      <source>readings-template</source>
      <translation>统计读数导入模板</translation>
    </message>
    <message>
      <source>Save a template</source>
      <translation>保存模板</translation>
    </message>
    <message>
      <source>The template could not be written: %1</source>
      <translation>无法写入模板:%1</translation>
    </message>
    <message>
      <source>Template saved to %1. Fill it in, save it as CSV, then choose it here.</source>
      <translation>模板已保存到 %1。填写后另存为 CSV,再在这里选择它。</translation>
    </message>
  </context>
  <context>
    <name>ListTab</name>
    <message>
      <source>No matches</source>
      <translation>没有符合条件的记录</translation>
    </message>
    <message>
      <source>Nothing here matches the search and filters.</source>
      <translation>没有记录符合当前的搜索和筛选条件。</translation>
    </message>
    <message>
      <source>Clear filters</source>
      <translation>清除筛选</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Overview</source>
      <translation>概览</translation>
    </message>
    <message>
      <source>Projects</source>
      <translation>维保项目</translation>
    </message>
    <message>
      <source>Tasks</source>
      <translation>维保任务</translation>
    </message>
    <message>
      <source>Handles</source>
      <translation>维保记录</translation>
    </message>
    <message>
      <source>Objects</source>
      <translation>维保对象</translation>
    </message>
    <message>
      <source>Statistics</source>
      <translation>统计</translation>
    </message>
    <message>
      <source>Reminders</source>
      <translation>提醒</translation>
    </message>
    <message>
      <source>Maintenance planner</source>
      <translation>维保计划</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>查看(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;New…</source>
      <translation>新建(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Open</source>
      <translation>打开(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Delete…</source>
      <translation>删除(&amp;D)…</translation>
    </message>
    <message>
      <source>&amp;Find</source>
      <translation>查找(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Refresh</source>
      <translation>刷新(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;History…</source>
      <translation>操作日志(&amp;H)…</translation>
    </message>
    <message>
      <source>Export &amp;calendar (.ics)…</source>
      <translation>导出日历(.ics)(&amp;C)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;About MixTimer</source>
      <translation>关于 MixTimer(&amp;A)</translation>
    </message>
    <message>
      <source>Opening the database…</source>
      <translation>正在打开数据库…</translation>
    </message>
    <message>
      <source>Due: %1   Due soon: %2   Database: %3</source>
      <translation>已到期:%1   即将到期:%2   数据库:%3</translation>
    </message>
    <message>
      <source>API: %1</source>
      <translation>API:%1</translation>
    </message>
    <message>
      <source>The action API server is listening at %1. Click to copy the address.</source>
      <translation>动作 API 服务正在 %1 上监听。点击复制地址。</translation>
    </message>
    <message>
      <source>API failed: %1</source>
      <translation>API 启动失败:%1</translation>
    </message>
    <message>
      <source>The action API server did not start: %1
Click to open the settings.</source>
      <translation>动作 API 服务未能启动:%1
点击打开设置。</translation>
    </message>
    <message>
      <source>API: off (demo database)</source>
      <translation>API:未开启(演示数据库)</translation>
    </message>
    <message>
      <source>The action API is not served from the demo database, so that no other tool writes to it by mistake.</source>
      <translation>演示数据库不提供动作 API 服务,以免其他工具误写入。</translation>
    </message>
    <message>
      <source>API: starting…</source>
      <translation>API:正在启动…</translation>
    </message>
    <message>
      <source>API: off</source>
      <translation>API:未开启</translation>
    </message>
    <message>
      <source>The action API server is off. Click to open the settings, where it is turned on.</source>
      <translation>动作 API 服务未开启。点击打开设置,可在其中开启。</translation>
    </message>
    <message>
      <source>Copied %1</source>
      <translation>已复制 %1</translation>
    </message>
    <message>
      <source>Read-only</source>
      <translation>只读</translation>
    </message>
    <message>
      <source>Opened read-only: changes cannot be saved.</source>
      <translation>以只读方式打开：修改无法保存。</translation>
    </message>
    <message>
      <source>Checking the database; changes wait</source>
      <translation>正在检查数据库,修改稍候</translation>
    </message>
    <message>
      <source>MixTimer did not exit cleanly last time, so it checks the database. You can look around meanwhile; changes are saved once the check is done.</source>
      <translation>上次没有正常退出,正在检查数据库。检查期间可以照常查看;修改要等检查完成后才能保存。</translation>
    </message>
    <message>
      <source>The check found a problem: %1</source>
      <translation>检查发现问题:%1</translation>
    </message>
    <message>
      <source>Today's backup was skipped: the disk is full</source>
      <translation>磁盘已满,今天的自动备份没有做</translation>
    </message>
    <message>
      <source>[Demo database]</source>
      <translation>[演示数据库]</translation>
    </message>
    <message>
      <source>Demo database</source>
      <translation>演示数据库</translation>
    </message>
    <message>
      <source>Back to my database</source>
      <translation>回到我的数据库</translation>
    </message>
  </context>
  <context>
    <name>Notify</name>
    <message>
      <source>WeCom group robot</source>
      <translation>企业微信群机器人</translation>
    </message>
    <message>
      <source>DingTalk group robot</source>
      <translation>钉钉群机器人</translation>
    </message>
    <message>
      <source>Feishu custom bot</source>
      <translation>飞书自定义机器人</translation>
    </message>
    <message>
      <source>JSON webhook</source>
      <translation>通用 JSON Webhook</translation>
    </message>
    <message>
      <source>E-mail (SMTP)</source>
      <translation>电子邮件(SMTP)</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>逾期</translation>
    </message>
    <message>
      <source>Daily digest</source>
      <translation>日报</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>待发送</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>已发送</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失败</translation>
    </message>
  </context>
  <context>
    <name>ObjectDialog</name>
    <message>
      <source>Edit object</source>
      <translation>编辑对象</translation>
    </message>
    <message>
      <source>New object</source>
      <translation>新建对象</translation>
    </message>
    <message>
      <source>e.g. Workshop 2, line B</source>
      <translation>例如:二车间 B 线</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
  </context>
  <context>
    <name>ObjectsTab</name>
    <message numerus="yes">
      <source>%n object(s)</source>
      <translation>
        <numerusform>%n 个对象</numerusform>
      </translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Changed</source>
      <translation>修改时间</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>No maintenance objects yet</source>
      <translation>还没有维保对象</translation>
    </message>
    <message>
      <source>Objects are the equipment you maintain: compressors, pumps, cooling towers. Add them one by one, or import a list from a spreadsheet.</source>
      <translation>维保对象是您要维护的设备:空压机、水泵、冷却塔等。可以逐个新建,也可以从表格导入清单。</translation>
    </message>
    <message>
      <source>Search name, ID, location…</source>
      <translation>搜索名称、编号、位置…</translation>
    </message>
    <message>
      <source>Print equipment labels with QR codes for the selected objects (Ctrl-click to pick several), or for all the list shows</source>
      <translation>为选中的对象(按住 Ctrl 点击可多选)或列表中显示的全部对象打印带二维码的设备标签</translation>
    </message>
    <message>
      <source>New object…</source>
      <translation>新建对象…</translation>
    </message>
    <message>
      <source>Import CSV…</source>
      <translation>导入 CSV…</translation>
    </message>
    <message>
      <source>Labels…</source>
      <translation>打印标签…</translation>
    </message>
    <message>
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <source>Export the objects the list shows, as CSV or as an Excel workbook</source>
      <translation>将列表中的对象导出为 CSV 或 Excel 工作簿</translation>
    </message>
    <message>
      <source>Delete object</source>
      <translation>删除对象</translation>
    </message>
    <message>
      <source>Delete “%1”? Its maintenance records are kept.</source>
      <translation>删除“%1”?其维保记录会保留。</translation>
    </message>
  </context>
  <context>
    <name>OverviewTab</name>
    <message>
      <source>Overdue and due in the next %1 days</source>
      <translation>已逾期及未来 %1 天内到期</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期时间</translation>
    </message>
    <message>
      <source>When</source>
      <translation>剩余</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Nothing comes due in the next two weeks.</source>
      <translation>未来两周没有到期的维保。</translation>
    </message>
    <message>
      <source>Calendar</source>
      <translation>日历</translation>
    </message>
    <message>
      <source>Days with due maintenance are marked; click one to see its tasks.</source>
      <translation>有维保到期的日期已标出;点击查看当天的任务。</translation>
    </message>
    <message>
      <source>On-time rate per project (last 12 months)</source>
      <translation>各项目按时完成率(近 12 个月)</translation>
    </message>
    <message>
      <source>Monthly report…</source>
      <translation>月度报表…</translation>
    </message>
    <message>
      <source>Print or save the monthly report as PDF</source>
      <translation>打印月度报表或保存为 PDF</translation>
    </message>
    <message>
      <source>No abnormal checks in the last %1 days.</source>
      <translation>最近 %1 天没有异常检查。</translation>
    </message>
    <message numerus="yes">
      <source>%n record(s) with abnormal checks in the last %1 days</source>
      <translation>
        <numerusform>最近 %1 天有 %n 条记录检查异常</numerusform>
      </translation>
    </message>
    <message>
      <source>Calculating…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>No maintenance recorded yet.</source>
      <translation>尚无维保记录。</translation>
    </message>
    <message>
      <source>These figures could not be calculated; the log says why.</source>
      <translation>无法计算这些数据,原因见日志。</translation>
    </message>
    <message>
      <source>Fees per month</source>
      <translation>每月费用</translation>
    </message>
    <message>
      <source>No fees recorded yet.</source>
      <translation>尚无费用记录。</translation>
    </message>
  </context>
  <context>
    <name>PagedTableModel</name>
    <message>
      <source>The search failed; please try again.</source>
      <translation>搜索失败,请重试。</translation>
    </message>
  </context>
  <context>
    <name>ProjectForm</name>
    <message>
      <source>Edit project</source>
      <translation>编辑维保项目</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建维保项目</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>&amp;Name:</source>
      <translation>名称(&amp;N):</translation>
    </message>
    <message>
      <source>&amp;Alias:</source>
      <translation>别名(&amp;A):</translation>
    </message>
    <message>
      <source>&amp;Description:</source>
      <translation>描述(&amp;D):</translation>
    </message>
    <message>
      <source>e.g. Air compressor monthly check</source>
      <translation>例如:空压机月度检查</translation>
    </message>
    <message>
      <source>empty: the project's number</source>
      <translation>留空则使用项目编号</translation>
    </message>
    <message>
      <source>Cycle</source>
      <translation>周期</translation>
    </message>
    <message>
      <source>&amp;Cycle type:</source>
      <translation>周期类型(&amp;C):</translation>
    </message>
    <message>
      <source>S&amp;tatistic:</source>
      <translation>统计项(&amp;T):</translation>
    </message>
    <message>
      <source>&amp;Every:</source>
      <translation>周期(&amp;E):</translation>
    </message>
    <message>
      <source>Re&amp;mind before:</source>
      <translation>提前提醒(&amp;M):</translation>
    </message>
    <message>
      <source>Ne&amp;xt cycle starts:</source>
      <translation>下个周期起算(&amp;X):</translation>
    </message>
    <message>
      <source>Or e&amp;very (meter):</source>
      <translation>或每(读数)(&amp;V):</translation>
    </message>
    <message>
      <source>Checklist</source>
      <translation>检查清单</translation>
    </message>
    <message>
      <source>The next cycle starts when the task is handled or ignored.</source>
      <translation>任务处理或忽略时开始下一个周期。</translation>
    </message>
    <message>
      <source>Due dates follow a fixed grid from the first start, whenever the task is handled.</source>
      <translation>到期日按首次启动起的固定计划推算,与处理时间无关。</translation>
    </message>
    <message>
      <source>(choose a statistic)</source>
      <translation>(请选择统计项)</translation>
    </message>
    <message>
      <source>Next due dates</source>
      <translation>接下来的到期日</translation>
    </message>
    <message>
      <source>Objects</source>
      <translation>维保对象</translation>
    </message>
    <message>
      <source>Search objects by name, alias or number</source>
      <translation>按名称、别名或编号搜索对象</translation>
    </message>
    <message>
      <source>New object name</source>
      <translation>新对象名称</translation>
    </message>
    <message>
      <source>New &amp;object</source>
      <translation>新建对象(&amp;O)</translation>
    </message>
    <message>
      <source>Maintenance guide</source>
      <translation>维保指南</translation>
    </message>
    <message>
      <source>What to do, step by step, and what to check.</source>
      <translation>逐步写明要做什么、检查什么。</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>%1 object(s) chosen</source>
      <translation>已选 %1 个对象</translation>
    </message>
    <message>
      <source>Due after the time interval or when the statistic has grown by the meter interval, whichever comes first; handling restarts both.</source>
      <translation>时间间隔到了,或统计读数增长了读数间隔,以先到者为准;处理后两者一起重新计算。</translation>
    </message>
    <message>
      <source>Without a statistic the project can be saved but not started.</source>
      <translation>未选择统计项时可以保存项目,但无法启动。</translation>
    </message>
    <message>
      <source>The task is due when the statistic has grown by this amount since the cycle began.</source>
      <translation>自周期开始起统计值增长达到该数量时任务到期。</translation>
    </message>
    <message>
      <source>Counted back from the forecast due date, never before the cycle began.</source>
      <translation>从预测的到期日往前推算,不早于本周期开始。</translation>
    </message>
    <message>
      <source>Not shorter than the cycle: the reminder comes as each cycle begins.</source>
      <translation>提前量不短于周期:每个周期一开始就提醒。</translation>
    </message>
    <message>
      <source>Fix the cycle settings to see the due dates.</source>
      <translation>请修正周期设置以查看到期日。</translation>
    </message>
    <message>
      <source>reminder %1</source>
      <translation>提醒 %1</translation>
    </message>
    <message>
      <source>reminder at the due time</source>
      <translation>到期时提醒</translation>
    </message>
    <message>
      <source>If started now and each cycle is handled on its due date.</source>
      <translation>假设现在启动,且每个周期都在到期日处理。</translation>
    </message>
    <message>
      <source>Choose a statistic to see when the task comes due.</source>
      <translation>选择统计项以查看任务何时到期。</translation>
    </message>
    <message>
      <source>No readings yet: due every %1 %2 from the first reading.</source>
      <translation>尚无读数:自第一次读数起每 %1 %2 到期。</translation>
    </message>
    <message>
      <source>Or by the meter (latest reading %1 %2), at readings: %3 %2</source>
      <translation>或按读数(最新读数 %1 %2),到期读数:%3 %2</translation>
    </message>
    <message>
      <source>Latest reading %1 %2. Due at readings: %3 %2</source>
      <translation>最新读数 %1 %2。到期读数:%3 %2</translation>
    </message>
  </context>
  <context>
    <name>ProjectsTab</name>
    <message>
      <source>Running</source>
      <translation>运行中</translation>
    </message>
    <message>
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新建</translation>
    </message>
    <message>
      <source>New project (Ctrl+N)</source>
      <translation>新建项目(Ctrl+N)</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
    <message>
      <source>Edit the project (Enter)</source>
      <translation>编辑项目(Enter)</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Delete the project (Del)</source>
      <translation>删除项目(Del)</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>启动</translation>
    </message>
    <message>
      <source>Start the project's timers</source>
      <translation>启动项目的计时</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stop: no reminders, the dates stay</source>
      <translation>停止:不再提醒,到期日保留</translation>
    </message>
    <message>
      <source>Restart</source>
      <translation>重启</translation>
    </message>
    <message>
      <source>Every task starts a fresh cycle now</source>
      <translation>所有任务从现在重新开始周期</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Reload the list (F5)</source>
      <translation>重新加载列表(F5)</translation>
    </message>
    <message>
      <source>All cycle types</source>
      <translation>全部周期类型</translation>
    </message>
    <message>
      <source>Running and stopped</source>
      <translation>运行中和已停止</translation>
    </message>
    <message>
      <source>Search name, alias or number (Ctrl+F)</source>
      <translation>搜索名称、别名或编号(Ctrl+F)</translation>
    </message>
    <message>
      <source>Show this project's tasks</source>
      <translation>查看该项目的任务</translation>
    </message>
    <message>
      <source>History…</source>
      <translation>历史…</translation>
    </message>
    <message>
      <source>No maintenance projects yet</source>
      <translation>还没有维保项目</translation>
    </message>
    <message>
      <source>A project is a maintenance plan: what to do, how often, and on which objects. Once it is started, each of its objects gets a task with due dates and reminders.</source>
      <translation>维保项目就是维保计划:做什么、多久做一次、针对哪些对象。项目启动后,每个对象都会得到一个带到期日和提醒的任务。</translation>
    </message>
    <message>
      <source>New project…</source>
      <translation>新建项目…</translation>
    </message>
    <message>
      <source>%1 project(s)</source>
      <translation>%1 个项目</translation>
    </message>
    <message>
      <source>Select a project to see its details.</source>
      <translation>选择一个项目以查看详情。</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Cycle type</source>
      <translation>周期类型</translation>
    </message>
    <message>
      <source>Cycle</source>
      <translation>周期</translation>
    </message>
    <message>
      <source>Reminder</source>
      <translation>提醒</translation>
    </message>
    <message>
      <source>Next cycle</source>
      <translation>下个周期</translation>
    </message>
    <message>
      <source>Objects</source>
      <translation>维保对象</translation>
    </message>
    <message>
      <source>Created</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <source>Statistic</source>
      <translation>统计项</translation>
    </message>
    <message>
      <source>(none: the project cannot start)</source>
      <translation>(无:项目无法启动)</translation>
    </message>
    <message>
      <source>(a statistic that no longer exists)</source>
      <translation>(该统计项已不存在)</translation>
    </message>
    <message>
      <source>Tasks</source>
      <translation>维保任务</translation>
    </message>
    <message>
      <source>Maintenance guide</source>
      <translation>维保指南</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Edit a running project</source>
      <translation>编辑运行中的项目</translation>
    </message>
    <message>
      <source>“%1” is running. Its cycle settings can only change while it is stopped, so that no task's dates move under a running timer.

Stop it, edit it, and start it again afterwards?</source>
      <translation>“%1”正在运行。只有在停止后才能修改周期设置,以免正在计时的任务到期日被改动。

是否先停止、编辑,然后重新启动?</translation>
    </message>
    <message>
      <source>Stop, edit, start again</source>
      <translation>停止、编辑后重新启动</translation>
    </message>
    <message>
      <source>Delete “%1” and its %2 task(s)? The maintenance records (handles) are kept.</source>
      <translation>删除“%1”及其 %2 个任务?维保记录会保留。</translation>
    </message>
    <message>
      <source>The project is running: it will be stopped first.</source>
      <translation>项目正在运行:将先停止。</translation>
    </message>
    <message>
      <source>Delete project</source>
      <translation>删除项目</translation>
    </message>
    <message>
      <source>Stop project</source>
      <translation>停止项目</translation>
    </message>
    <message>
      <source>Stop “%1”? Its tasks give no reminders while it is stopped; their due dates stay.</source>
      <translation>停止“%1”?停止期间其任务不会提醒;到期日保留。</translation>
    </message>
    <message>
      <source>Restart project</source>
      <translation>重启项目</translation>
    </message>
    <message>
      <source>Restart “%1”? Every task starts a fresh cycle now; the current due dates are replaced.</source>
      <translation>重启“%1”?所有任务从现在重新开始周期;当前到期日将被替换。</translation>
    </message>
    <message>
      <source>Not done</source>
      <translation>未完成操作</translation>
    </message>
  </context>
  <context>
    <name>ReadingDialog</name>
    <message>
      <source>Add reading</source>
      <translation>添加读数</translation>
    </message>
    <message>
      <source>Read earlier than now</source>
      <translation>读数时间早于现在</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>%1: no readings yet.</source>
      <translation>%1:尚无读数。</translation>
    </message>
    <message>
      <source>%1: last reading %2 %3 at %4.</source>
      <translation>%1:最新读数 %2 %3,时间 %4。</translation>
    </message>
  </context>
  <context>
    <name>ReadingsChart</name>
    <message>
      <source>No readings yet</source>
      <translation>尚无读数</translation>
    </message>
  </context>
  <context>
    <name>RecoveryDialog</name>
    <message>
      <source>MixTimer cannot open its database</source>
      <translation>MixTimer 无法打开数据库</translation>
    </message>
    <message>
      <source>Restore this backup</source>
      <translation>恢复此备份</translation>
    </message>
    <message>
      <source>View read-only</source>
      <translation>只读查看</translation>
    </message>
    <message>
      <source>Retry</source>
      <translation>重试</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>Newest good backup: %1 (made %2, %3 KB). Restoring it keeps the damaged file beside the database.</source>
      <translation>最新的完好备份:%1(创建于 %2,%3 KB)。恢复时损坏的文件会保留在数据库旁边。</translation>
    </message>
    <message>
      <source>Restore failed</source>
      <translation>恢复失败</translation>
    </message>
    <message>
      <source>Backup restored</source>
      <translation>备份已恢复</translation>
    </message>
    <message>
      <source>The database was restored from %1. The damaged file was kept as %2.</source>
      <translation>数据库已从 %1 恢复。损坏的文件已保留为 %2。</translation>
    </message>
  </context>
  <context>
    <name>ReminderCenter</name>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Due at</source>
      <translation>到期时间</translation>
    </message>
    <message>
      <source>Task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>即将到期</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>逾期</translation>
    </message>
    <message>
      <source>Unread only</source>
      <translation>仅未读</translation>
    </message>
    <message>
      <source>All kinds</source>
      <translation>全部类型</translation>
    </message>
    <message>
      <source>Open task</source>
      <translation>打开任务</translation>
    </message>
    <message>
      <source>Mark read</source>
      <translation>标为已读</translation>
    </message>
    <message>
      <source>Mark all read</source>
      <translation>全部标为已读</translation>
    </message>
    <message>
      <source>No reminders. When a task enters its notice window, becomes due or stays overdue, it is listed here.</source>
      <translation>暂无提醒。任务进入提醒期、到期或持续逾期时会列在这里。</translation>
    </message>
    <message>
      <source>Unread: %1</source>
      <translation>未读:%1</translation>
    </message>
  </context>
  <context>
    <name>ReminderTray</name>
    <message>
      <source>Open MixTimer</source>
      <translation>打开 MixTimer</translation>
    </message>
    <message>
      <source>Pause reminders</source>
      <translation>暂停提醒</translation>
    </message>
    <message>
      <source>For 1 hour</source>
      <translation>1 小时</translation>
    </message>
    <message>
      <source>Until tomorrow 08:00</source>
      <translation>直到明天 08:00</translation>
    </message>
    <message>
      <source>Until I resume them</source>
      <translation>直到手动恢复</translation>
    </message>
    <message>
      <source>Resume reminders</source>
      <translation>恢复提醒</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>Due: %1 · Due soon: %2</source>
      <translation>已到期:%1 · 即将到期:%2</translation>
    </message>
    <message>
      <source>MixTimer</source>
      <translation>MixTimer</translation>
    </message>
    <message>
      <source>Reminders paused until %1</source>
      <translation>提醒已暂停,直到 %1</translation>
    </message>
    <message>
      <source>Reminders paused until you resume them</source>
      <translation>提醒已暂停,直到手动恢复</translation>
    </message>
    <message numerus="yes">
      <source>%n maintenance task(s) need attention</source>
      <translation>
        <numerusform>%n 项维保任务需要处理</numerusform>
      </translation>
    </message>
    <message>
      <source>Overdue: %1 · Due: %2 · Due soon: %3</source>
      <translation>逾期:%1 · 已到期:%2 · 即将到期:%3</translation>
    </message>
    <message>
      <source>Maintenance due soon</source>
      <translation>维保即将到期</translation>
    </message>
    <message>
      <source>Maintenance due</source>
      <translation>维保已到期</translation>
    </message>
    <message>
      <source>Maintenance overdue</source>
      <translation>维保已逾期</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>逾期</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>General</source>
      <translation>常规</translation>
    </message>
    <message>
      <source>&amp;Language:</source>
      <translation>语言(&amp;L):</translation>
    </message>
    <message>
      <source>Applied at once to most of the window; everywhere after a restart.</source>
      <translation>大部分界面立即生效;重启后全部生效。</translation>
    </message>
    <message>
      <source>Op&amp;erator:</source>
      <translation>操作员(&amp;E):</translation>
    </message>
    <message>
      <source>Who works at this workstation: every record written here carries this person.</source>
      <translation>在这台电脑上工作的人:这里写入的每条记录都记在此人名下。</translation>
    </message>
    <message>
      <source>Start &amp;automatically at login (in the tray)</source>
      <translation>开机自动启动(在托盘中运行)(&amp;A)</translation>
    </message>
    <message>
      <source>Reminders only come while MixTimer runs.</source>
      <translation>只有 MixTimer 运行时才会提醒。</translation>
    </message>
    <message>
      <source>Reminders</source>
      <translation>提醒</translation>
    </message>
    <message>
      <source>Remind again about &amp;overdue tasks every:</source>
      <translation>逾期任务重复提醒间隔(&amp;O):</translation>
    </message>
    <message>
      <source> h</source>
      <translation> 小时</translation>
    </message>
    <message>
      <source>Action API server</source>
      <translation>动作 API 服务</translation>
    </message>
    <message>
      <source>&amp;Serve the action API while the window is open</source>
      <translation>窗口打开时提供动作 API 服务(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Port:</source>
      <translation>端口(&amp;P):</translation>
    </message>
    <message>
      <source>&amp;Bind address:</source>
      <translation>绑定地址(&amp;B):</translation>
    </message>
    <message>
      <source>To&amp;ken:</source>
      <translation>令牌(&amp;K):</translation>
    </message>
    <message>
      <source>required for any address but 127.0.0.1</source>
      <translation>绑定 127.0.0.1 以外的地址时必填</translation>
    </message>
    <message>
      <source>&amp;Generate</source>
      <translation>生成(&amp;G)</translation>
    </message>
    <message>
      <source>Allowed &amp;host names:</source>
      <translation>允许的主机名(&amp;H):</translation>
    </message>
    <message>
      <source>only 127.0.0.1, localhost and [::1]</source>
      <translation>仅 127.0.0.1、localhost 和 [::1]</translation>
    </message>
    <message>
      <source>Other names under which clients reach this server, separated by spaces, e.g. workstation.local. Requests naming any other host are refused.</source>
      <translation>客户端访问本服务时使用的其他主机名,以空格分隔,如 workstation.local。指向其他主机名的请求一律拒绝。</translation>
    </message>
    <message>
      <source>Allowed &amp;web origins:</source>
      <translation>允许的网页来源(&amp;W):</translation>
    </message>
    <message>
      <source>none: web pages cannot call the API</source>
      <translation>无:网页不能调用接口</translation>
    </message>
    <message>
      <source>Web pages that may call the API from a browser, e.g. http://dashboard.local:8080. Pages of any other origin are refused.</source>
      <translation>可在浏览器中调用接口的网页来源,如 http://dashboard.local:8080。其他来源的网页一律拒绝。</translation>
    </message>
    <message>
      <source>The server restarts with these settings when you press OK.</source>
      <translation>按“确定”后,服务将按这些设置重新启动。</translation>
    </message>
    <message>
      <source>Data folder</source>
      <translation>数据文件夹</translation>
    </message>
    <message>
      <source>Open in &amp;file manager</source>
      <translation>在文件管理器中打开(&amp;F)</translation>
    </message>
    <message>
      <source>Backups</source>
      <translation>备份</translation>
    </message>
    <message>
      <source>This database is on a PostgreSQL server, so the program keeps no file copies of it: back it up on the server with pg_dump (see Database above).</source>
      <translation>这个数据库在 PostgreSQL 服务器上，本程序不为它做文件备份：请在服务器上用 pg_dump 备份(见上方“数据库”)。</translation>
    </message>
    <message>
      <source>Back &amp;up now</source>
      <translation>立即备份(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Restore…</source>
      <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>确定</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Start at login could not be changed: %1</source>
      <translation>无法更改开机自动启动:%1</translation>
    </message>
    <message>
      <source>Backed up to %1</source>
      <translation>已备份到 %1</translation>
    </message>
    <message>
      <source>Choose a backup</source>
      <translation>选择备份</translation>
    </message>
    <message>
      <source>Databases (*.db);;All files (*)</source>
      <translation>数据库 (*.db);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Restore backup</source>
      <translation>恢复备份</translation>
    </message>
    <message>
      <source>Replace the current data with the backup
%1?

The current database is kept in the backups folder.</source>
      <translation>用备份
%1
替换当前数据?

当前数据库会保留在备份文件夹中。</translation>
    </message>
    <message>
      <source>Restored. The previous data was kept as %1</source>
      <translation>已恢复。原数据已保留为 %1</translation>
    </message>
  </context>
  <context>
    <name>ShortcutsDialog</name>
    <message>
      <source>Window</source>
      <translation>窗口</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Alt + an underlined letter opens that menu or presses that button. In a dialog, Esc cancels.</source>
      <translation>Alt + 带下划线的字母可打开相应菜单或按下相应按钮。在对话框中按 Esc 取消。</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>按键</translation>
    </message>
  </context>
  <context>
    <name>StatisticDialog</name>
    <message>
      <source>Edit statistic</source>
      <translation>编辑统计项</translation>
    </message>
    <message>
      <source>New statistic</source>
      <translation>新建统计项</translation>
    </message>
    <message>
      <source>e.g. Compressor 1 running hours</source>
      <translation>例如:1 号空压机运行小时</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Readings are cumulative: a meter only counts up.</source>
      <translation>读数是累计值:计数只增不减。</translation>
    </message>
  </context>
  <context>
    <name>StatisticsTab</name>
    <message numerus="yes">
      <source>%n statistic(s)</source>
      <translation>
        <numerusform>%n 个统计项</numerusform>
      </translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Read at</source>
      <translation>读数时间</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数值</translation>
    </message>
    <message>
      <source>Entered</source>
      <translation>录入时间</translation>
    </message>
    <message>
      <source>Search statistics…</source>
      <translation>搜索统计项…</translation>
    </message>
    <message>
      <source>New statistic…</source>
      <translation>新建统计项…</translation>
    </message>
    <message>
      <source>Import readings CSV…</source>
      <translation>导入读数 CSV…</translation>
    </message>
    <message>
      <source>Add reading…</source>
      <translation>添加读数…</translation>
    </message>
    <message>
      <source>No statistics yet</source>
      <translation>还没有统计项</translation>
    </message>
    <message>
      <source>A statistic is a meter: running hours, a counter, kilometres. Projects on a meter cycle come due as its readings grow.</source>
      <translation>统计项就是计量表:运行小时、计数器、里程等。按统计周期的项目会随读数增长而到期。</translation>
    </message>
    <message numerus="yes">
      <source>%n reading(s)</source>
      <translation>
        <numerusform>%n 条读数</numerusform>
      </translation>
    </message>
    <message>
      <source>Select a statistic</source>
      <translation>请选择统计项</translation>
    </message>
    <message>
      <source>Delete statistic</source>
      <translation>删除统计项</translation>
    </message>
    <message>
      <source>Delete “%1” and all its readings?</source>
      <translation>删除“%1”及其全部读数?</translation>
    </message>
  </context>
  <context>
    <name>TasksTab</name>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期时间</translation>
    </message>
    <message>
      <source>Due in</source>
      <translation>距到期</translation>
    </message>
    <message>
      <source>Cycle</source>
      <translation>周期</translation>
    </message>
    <message>
      <source>Progress</source>
      <translation>进度</translation>
    </message>
    <message>
      <source>Last handled</source>
      <translation>上次处理</translation>
    </message>
    <message>
      <source>Search project or object…</source>
      <translation>搜索项目或对象…</translation>
    </message>
    <message>
      <source>All statuses</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <source>Handle…</source>
      <translation>处理…</translation>
    </message>
    <message>
      <source>History…</source>
      <translation>历史…</translation>
    </message>
    <message>
      <source>Record that this task was done (Enter)</source>
      <translation>记录该任务已完成(Enter)</translation>
    </message>
    <message>
      <source>Ignore…</source>
      <translation>忽略…</translation>
    </message>
    <message>
      <source>Skip this cycle, with a reason</source>
      <translation>跳过本周期,并写明原因</translation>
    </message>
    <message>
      <source>Work orders…</source>
      <translation>打印工单…</translation>
    </message>
    <message>
      <source>Print work orders for the selected task or the tasks due soon</source>
      <translation>为选中的任务或即将到期的任务打印工单</translation>
    </message>
    <message>
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <source>Export the tasks the filters show, as CSV or as an Excel workbook</source>
      <translation>将筛选出的任务导出为 CSV 或 Excel 工作簿</translation>
    </message>
    <message>
      <source>Show all tasks</source>
      <translation>显示全部任务</translation>
    </message>
    <message>
      <source>All projects</source>
      <translation>全部项目</translation>
    </message>
    <message>
      <source>All objects</source>
      <translation>全部对象</translation>
    </message>
    <message>
      <source>No tasks yet</source>
      <translation>还没有维保任务</translation>
    </message>
    <message>
      <source>Tasks appear when a project with objects is started: one for each object, with its due date, reminders, and Handle… when it is done.</source>
      <translation>启动一个带对象的维保项目后就会出现任务:每个对象一个,带到期日和提醒,完成后点“处理…”。</translation>
    </message>
    <message>
      <source>Go to projects</source>
      <translation>前往维保项目</translation>
    </message>
    <message numerus="yes">
      <source>Showing %n reminded task(s)</source>
      <translation>
        <numerusform>正在显示 %n 个提醒的任务</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n task(s)</source>
      <translation>
        <numerusform>%n 个任务</numerusform>
      </translation>
    </message>
    <message>
      <source>no forecast yet</source>
      <translation>暂无预测</translation>
    </message>
  </context>
  <context>
    <name>UpgradeDialog</name>
    <message>
      <source>Upgrading the database</source>
      <translation>正在升级数据库</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>Stop the upgrade and close MixTimer. Nothing is changed; the next start upgrades again.</source>
      <translation>停止升级并关闭 MixTimer。数据库不会有任何改动,下次启动时会重新升级。</translation>
    </message>
    <message>
      <source>Upgrading the database for this version of MixTimer: building the search index (%1 of %2 handles).</source>
      <translation>正在为新版 MixTimer 升级数据库:建立搜索索引(%1 / %2 条记录)。</translation>
    </message>
    <message>
      <source>Upgrading the database for this version of MixTimer: first a copy of it goes to the backups.</source>
      <translation>正在为新版 MixTimer 升级数据库:先将数据库复制一份到备份文件夹。</translation>
    </message>
    <message>
      <source>Upgrading the database for this version of MixTimer. With many records this takes a few minutes, once.</source>
      <translation>正在为新版 MixTimer 升级数据库。记录很多时需要几分钟,只需一次。</translation>
    </message>
    <message>
      <source>Stopping the upgrade; nothing is changed…</source>
      <translation>正在停止升级,数据库不会有任何改动…</translation>
    </message>
  </context>
  <context>
    <name>VoidDialog</name>
    <message>
      <source>Void record</source>
      <translation>作废记录</translation>
    </message>
    <message>
      <source>The record stays, marked as voided, and leaves lists, on-time rates and fee totals. The task returns to the cycle it was in before this record. Only a task's latest record can be voided.</source>
      <translation>记录会保留并标为已作废,不再计入列表、按时率和费用统计。任务回到这条记录之前的周期。只能作废任务最新的一条记录。</translation>
    </message>
    <message>
      <source>Why is this record wrong?</source>
      <translation>这条记录为什么有误?</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Void</source>
      <translation>作废</translation>
    </message>
  </context>
  <context>
    <name>WelcomeDialog</name>
    <message>
      <source>Welcome to MixTimer</source>
      <translation>欢迎使用 MixTimer</translation>
    </message>
    <message>
      <source>MixTimer keeps your maintenance plans and reminds you before each piece of equipment comes due. The work goes in three steps:</source>
      <translation>MixTimer 保存您的维保计划,并在每台设备到期前提醒您。工作分三步:</translation>
    </message>
    <message>
      <source>&lt;b&gt;Objects&lt;/b&gt;: the equipment you maintain (or import a list from a spreadsheet).</source>
      <translation>&lt;b&gt;维保对象&lt;/b&gt;:您要维护的设备(也可以从表格导入清单)。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Projects&lt;/b&gt;: what to do, how often, on which objects. Start a project and each object gets a task.</source>
      <translation>&lt;b&gt;维保项目&lt;/b&gt;:做什么、多久做一次、针对哪些对象。启动项目后,每个对象都会得到一个任务。</translation>
    </message>
    <message>
      <source>&lt;b&gt;Tasks&lt;/b&gt;: come due, remind you, and are handled: each handle is kept as a record.</source>
      <translation>&lt;b&gt;维保任务&lt;/b&gt;:到期、提醒、处理;每次处理都会留下一条记录。</translation>
    </message>
    <message>
      <source>To look around first, open a demo database: a made-up plant with a year of history, in a separate file (%1). Your own database stays empty and untouched; the status bar takes you back to it.</source>
      <translation>想先看看,可以打开演示数据库:一个虚构的工厂和一年的历史记录,保存在单独的文件中(%1)。您自己的数据库保持空白、不受影响;状态栏上可以随时回到它。</translation>
    </message>
    <message>
      <source>The user guide is in the Help menu (F1).</source>
      <translation>使用指南在“帮助”菜单中(F1)。</translation>
    </message>
    <message>
      <source>Open the &amp;demo database</source>
      <translation>打开演示数据库(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Start with my own data</source>
      <translation>从我自己的数据开始(&amp;S)</translation>
    </message>
  </context>
  <context>
    <name>tray</name>
    <message>
      <source>MixTimer is still running</source>
      <translation>MixTimer 仍在运行</translation>
    </message>
    <message>
      <source>Reminders keep coming here in the tray. Choose Quit in its menu to stop MixTimer.</source>
      <translation>提醒会继续显示在系统托盘中。在托盘菜单中选择“退出”可停止 MixTimer。</translation>
    </message>
  </context>
  <context>
    <name>CsvDialogs</name>
    <message numerus="yes">
      <source>%n bad row(s) were left out.</source>
      <translation>
        <numerusform>%n 行有误,未导入。</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Checking %1…</source>
      <translation>正在检查 %1…</translation>
    </message>
    <message>
      <source>Could not write the file: %1</source>
      <translation>无法写入文件:%1</translation>
    </message>
    <message>
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <source>Export finished</source>
      <translation>导出完成</translation>
    </message>
    <message>
      <source>Export maintenance records</source>
      <translation>导出维保记录</translation>
    </message>
    <message numerus="yes">
      <source>Exported %n record(s) to
%1</source>
      <translation>
        <numerusform>已导出 %n 条记录到
%1</numerusform>
      </translation>
    </message>
    <message>
      <source>Exporting maintenance records…</source>
      <translation>正在导出维保记录…</translation>
    </message>
    <message>
      <source>Import maintenance objects</source>
      <translation>导入维保对象</translation>
    </message>
    <message>
      <source>Import meter readings</source>
      <translation>导入统计读数</translation>
    </message>
    <message>
      <source>Imported %1 %2.</source>
      <translation>已导入 %1 %2。</translation>
    </message>
    <message>
      <source>Importing %1…</source>
      <translation>正在导入 %1…</translation>
    </message>
    <message>
      <source>MixTimer</source>
      <translation>MixTimer</translation>
    </message>
    <message>
      <source>Nothing was imported:</source>
      <translation>未导入任何数据:</translation>
    </message>
    <message>
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <source>Something went wrong; the details are in the log.</source>
      <translation>出了点问题;详情已写入日志。</translation>
    </message>
    <message>
      <source>maintenance-records</source>
      <translation>维保记录</translation>
    </message>
    <message>
      <source>object(s)</source>
      <translation>个对象</translation>
    </message>
    <message>
      <source>reading(s)</source>
      <translation>条读数</translation>
    </message>
    <message numerus="yes">
      <source>%n existing object(s) were updated.</source>
      <translation>
        <numerusform>其中 %n 个已有对象已更新。</numerusform>
      </translation>
    </message>
    <message>
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <source>Export maintenance tasks</source>
      <translation>导出维保任务</translation>
    </message>
    <message>
      <source>Exporting maintenance tasks…</source>
      <translation>正在导出维保任务…</translation>
    </message>
    <message>
      <source>maintenance-tasks</source>
      <translation>维保任务</translation>
    </message>
    <message>
      <source>Export maintenance objects</source>
      <translation>导出维保对象</translation>
    </message>
    <message>
      <source>Exporting maintenance objects…</source>
      <translation>正在导出维保对象…</translation>
    </message>
    <message>
      <source>maintenance-objects</source>
      <translation>维保对象</translation>
    </message>
  </context>
  <context>
    <name>ImportStart</name>
    <message>
      <source>Object number</source>
      <translation>对象编号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Alias</source>
      <translation>别名</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <source>Statistic number</source>
      <translation>统计编号</translation>
    </message>
    <message>
      <source>Reading</source>
      <translation>读数</translation>
    </message>
    <message>
      <source>Time read</source>
      <translation>读数时间</translation>
    </message>
    <message>
      <source>required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Accepted column names</source>
      <translation>可用的列名</translation>
    </message>
    <message>
      <source>Required</source>
      <translation>必填</translation>
    </message>
    <message>
      <source>Import maintenance objects</source>
      <translation>导入维保对象</translation>
    </message>
    <message>
      <source>Import meter readings</source>
      <translation>导入统计读数</translation>
    </message>
    <message>
      <source>CSV files (*.csv *.txt);;All files (*)</source>
      <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
  </context>
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Look in:</source>
      <translation>查看(&amp;L):</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>文件类型(&amp;T):</translation>
    </message>
  </context>
  <context>
    <name>Welcome</name>
    <message>
      <source>MixTimer</source>
      <translation>MixTimer</translation>
    </message>
    <message>
      <source>MixTimer could not start again on %1.</source>
      <translation>MixTimer 无法在 %1 上重新启动。</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source> days</source>
      <translation> 天</translation>
    </message>
    <message>
      <source>Checklist</source>
      <translation>检查项</translation>
    </message>
    <message>
      <source>Cycles skipped</source>
      <translation>跳过周期</translation>
    </message>
    <message>
      <source>Cycles</source>
      <translation>周期数</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期时间</translation>
    </message>
    <message>
      <source>Equipment labels</source>
      <translation>设备标签</translation>
    </message>
    <message>
      <source>Fees per month</source>
      <translation>每月费用</translation>
    </message>
    <message>
      <source>Fees per project</source>
      <translation>各项目费用</translation>
    </message>
    <message>
      <source>Fees</source>
      <translation>费用</translation>
    </message>
    <message>
      <source>Guide</source>
      <translation>作业指导</translation>
    </message>
    <message>
      <source>Handled</source>
      <translation>处理次数</translation>
    </message>
    <message>
      <source>Handles done</source>
      <translation>完成处理</translation>
    </message>
    <message>
      <source>Last handled</source>
      <translation>上次处理</translation>
    </message>
    <message>
      <source>Location</source>
      <translation>位置</translation>
    </message>
    <message>
      <source>Maintenance work order</source>
      <translation>维保工单</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>月份</translation>
    </message>
    <message>
      <source>Monthly maintenance report %1</source>
      <translation>月度报表 %1</translation>
    </message>
    <message>
      <source>Monthly report %1</source>
      <translation>月度报表 %1</translation>
    </message>
    <message>
      <source>Monthly report</source>
      <translation>月度报表</translation>
    </message>
    <message>
      <source>Never handled</source>
      <translation>尚未处理</translation>
    </message>
    <message>
      <source>No cycle was skipped.</source>
      <translation>本月没有跳过的周期。</translation>
    </message>
    <message>
      <source>No handle this month.</source>
      <translation>本月没有维保记录。</translation>
    </message>
    <message>
      <source>No handle was due this month.</source>
      <translation>本月没有需按时完成的记录。</translation>
    </message>
    <message>
      <source>No maintenance task is due in this range.</source>
      <translation>此范围内没有到期的维保任务。</translation>
    </message>
    <message>
      <source>No object to print a label for.</source>
      <translation>没有可打印标签的对象。</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Nothing was overdue.</source>
      <translation>月末没有逾期任务。</translation>
    </message>
    <message>
      <source>Object</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>On time</source>
      <translation>按时</translation>
    </message>
    <message>
      <source>On-time rate per project</source>
      <translation>各项目按时率</translation>
    </message>
    <message>
      <source>On-time rate</source>
      <translation>按时率</translation>
    </message>
    <message>
      <source>Overdue at month end</source>
      <translation>月末逾期任务</translation>
    </message>
    <message>
      <source>PDF files (*.pdf)</source>
      <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
      <source>Preview…</source>
      <translation>预览…</translation>
    </message>
    <message>
      <source>Print work orders</source>
      <translation>打印工单</translation>
    </message>
    <message>
      <source>Printed %1</source>
      <translation>打印于 %1</translation>
    </message>
    <message>
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Save PDF</source>
      <translation>保存 PDF</translation>
    </message>
    <message>
      <source>Save PDF…</source>
      <translation>保存 PDF…</translation>
    </message>
    <message>
      <source>Skipped cycles</source>
      <translation>跳过的周期</translation>
    </message>
    <message>
      <source>Skipped</source>
      <translation>跳过</translation>
    </message>
    <message>
      <source>Supervisor's signature</source>
      <translation>主管签字</translation>
    </message>
    <message>
      <source>Task</source>
      <translation>任务</translation>
    </message>
    <message>
      <source>Tasks due within</source>
      <translation>到期时间在</translation>
    </message>
    <message>
      <source>Technician's signature</source>
      <translation>处理人签字</translation>
    </message>
    <message>
      <source>The selected task (none is selected)</source>
      <translation>选中的任务(未选中任务)</translation>
    </message>
    <message>
      <source>The selected task: %1 · %2</source>
      <translation>选中的任务:%1 · %2</translation>
    </message>
    <message>
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Work done</source>
      <translation>处理情况</translation>
    </message>
    <message>
      <source>Work orders</source>
      <translation>维保工单</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Tasks by status when printed</source>
      <translation>打印时的任务状态</translation>
    </message>
  </context>
</TS>
