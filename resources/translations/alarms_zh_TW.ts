<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_TW">
<context>
    <name>AlarmBanner</name>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="117" />
        <source>No active alarms</source>
        <translation>無作用中警報</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="143" />
        <source>HORN</source>
        <translation>警報器</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="146" />
        <source>The alarm horn is sounding: Silence horn stops it</source>
        <translation>警報器鳴響中：按「消音」停止</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="154" />
        <location filename="../../hmi/app/alarm_banner.py" line="311" />
        <source>Acknowledge</source>
        <translation>確認</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="157" />
        <source>Acknowledge the selected alarm, or every alarm shown on the banner</source>
        <translation>確認選取的警報，或警報列上顯示的所有警報</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="163" />
        <source>Silence horn</source>
        <translation>消音</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="169" />
        <source>Alarms</source>
        <translation>警報</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="172" />
        <source>Open the alarm summary</source>
        <translation>開啟警報總覽</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="264" />
        <source>Priority {p}: {unacked} unacknowledged, {total} active</source>
        <translation>優先級 {p}：{unacked} 筆未確認，共 {total} 筆作用中</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="303" />
        <source>Acknowledge alarms</source>
        <translation>確認警報</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="304" />
        <source>Acknowledge the {n} unacknowledged alarm(s) shown on the banner?</source>
        <translation>確認警報列上顯示的 {n} 筆未確認警報？</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="314" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_banner.py" line="339" />
        <source>Not allowed: {why}</source>
        <translation>不允許：{why}</translation>
    </message>
</context>
<context>
    <name>AlarmDialogs</name>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="45" />
        <source>15 minutes</source>
        <translation>15 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="46" />
        <source>1 hour</source>
        <translation>1 小時</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="47" />
        <source>8 hours</source>
        <translation>8 小時</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="48" />
        <source>Custom…</source>
        <translation>自訂…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="54" />
        <source> min</source>
        <translation> 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="59" />
        <source>Shelve for</source>
        <translation>擱置時間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="61" />
        <source>Custom duration</source>
        <translation>自訂時間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="65" />
        <source>Required: why (e.g. instrument being repaired)</source>
        <translation>必填：原因（例如：儀表維修中）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="70" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="75" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_dialogs.py" line="78" />
        <source>OK</source>
        <translation>確定</translation>
    </message>
</context>
<context>
    <name>AlarmHistory</name>
    <message>
        <location filename="../../screens/alarm_history.py" line="128" />
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="132" />
        <source>Export CSV…</source>
        <translation>匯出 CSV…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="139" />
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="141" />
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="143" />
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="152" />
        <source>All kinds</source>
        <translation>所有類別</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="159" />
        <source>All priorities</source>
        <translation>所有優先級</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="168" />
        <source>All areas</source>
        <translation>所有區域</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="181" />
        <source>Tag (exact)</source>
        <translation>標籤（完整名稱）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="190" />
        <source>Text in the message…</source>
        <translation>訊息內容…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="317" />
        <source>The period must end after it starts.</source>
        <translation>期間的結束必須晚於開始。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="327" />
        <source>{loaded} events loaded, counting…</source>
        <translation>已載入 {loaded} 筆事件，計數中…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="331" />
        <source>{loaded} of {total} events loaded</source>
        <translation>已載入 {loaded} / {total} 筆事件</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="335" />
        <source>{n} new since: press Refresh</source>
        <translation>之後新增 {n} 筆：請按重新整理</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="339" />
        <source>loading…</source>
        <translation>載入中…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="341" />
        <source>scroll down for more</source>
        <translation>向下捲動載入更多</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="346" />
        <source>The history could not be read: {error}</source>
        <translation>無法讀取歷史紀錄：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="362" />
        <source>Export alarm history</source>
        <translation>匯出警報歷史</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="364" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="374" />
        <source>Exporting…</source>
        <translation>匯出中…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="385" />
        <source>Exported {n} events to {path}</source>
        <translation>已匯出 {n} 筆事件至 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history.py" line="392" />
        <source>Export failed: {error}</source>
        <translation>匯出失敗：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="43" />
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="44" />
        <source>Kind</source>
        <translation>類別</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="45" />
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="46" />
        <source>Priority</source>
        <translation>優先級</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="47" />
        <source>Area</source>
        <translation>區域</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="48" />
        <source>Source</source>
        <translation>來源</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="49" />
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="50" />
        <source>Value</source>
        <translation>數值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="51" />
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="52" />
        <source>User</source>
        <translation>使用者</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="53" />
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="54" />
        <source>Comment</source>
        <translation>備註</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="60" />
        <source>Alarm</source>
        <translation>警報</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="61" />
        <source>Operator</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="62" />
        <source>System</source>
        <translation>系統</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="69" />
        <source>Activated</source>
        <translation>發生</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="70" />
        <source>Returned to normal</source>
        <translation>恢復正常</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="71" />
        <source>Acknowledged</source>
        <translation>已確認</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="72" />
        <source>Reset</source>
        <translation>復歸</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="73" />
        <source>Shelved</source>
        <translation>已擱置</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="74" />
        <source>Unshelved</source>
        <translation>取消擱置</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="75" />
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="76" />
        <source>Unsuppressed</source>
        <translation>解除抑制</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="77" />
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="78" />
        <source>Returned to service</source>
        <translation>恢復啟用</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="79" />
        <source>Horn silenced</source>
        <translation>警報器消音</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="80" />
        <source>Write</source>
        <translation>寫入</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="81" />
        <source>Log in</source>
        <translation>登入</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="82" />
        <source>Log out</source>
        <translation>登出</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="83" />
        <source>Station started</source>
        <translation>工作站啟動</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="84" />
        <source>Station stopped</source>
        <translation>工作站停止</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="85" />
        <source>Connection lost</source>
        <translation>連線中斷</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="86" />
        <source>Connection restored</source>
        <translation>連線恢復</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="87" />
        <source>Configuration loaded</source>
        <translation>設定已載入</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="88" />
        <source>Plugin failed</source>
        <translation>外掛失敗</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="89" />
        <source>Database unavailable</source>
        <translation>資料庫無法使用</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="90" />
        <source>Database available again</source>
        <translation>資料庫已恢復</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="91" />
        <source>Recording plant data</source>
        <translation>記錄工廠資料中</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="92" />
        <source>Recorder on standby</source>
        <translation>記錄站待命</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_history_model.py" line="93" />
        <source>Demo history recorded</source>
        <translation>已記錄模擬歷史</translation>
    </message>
</context>
<context>
    <name>AlarmKpi</name>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="87" />
        <source>Acceptable</source>
        <translation>可接受</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="89" />
        <source>Manageable</source>
        <translation>可管理</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="90" />
        <source>Overloaded</source>
        <translation>超載</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="95" />
        <source>Within target</source>
        <translation>符合目標</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="97" />
        <source>Out of target</source>
        <translation>未達目標</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="133" />
        <source>Bad actors (top 10)</source>
        <translation>問題警報（前 10 名）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="136" />
        <source>Alarms per 10 minutes</source>
        <translation>每 10 分鐘警報數</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="159" />
        <source>Compute</source>
        <translation>計算</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="163" />
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="165" />
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="167" />
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="175" />
        <source>Performance against ISA-18.2 targets</source>
        <translation>對照 ISA-18.2 目標的績效</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="182" />
        <source>Figure</source>
        <translation>指標</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="183" />
        <source>Value</source>
        <translation>數值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="184" />
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="185" />
        <source>Assessment</source>
        <translation>評估</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="192" />
        <source>Alarms annunciated</source>
        <translation>警報通報數</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="195" />
        <source>Average per operator per 10 min</source>
        <translation>每位操作員每 10 分鐘平均</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="196" />
        <source>≤ 1 acceptable, ≤ 2 manageable</source>
        <translation>≤ 1 可接受，≤ 2 可管理</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="200" />
        <source>Average per operator per hour</source>
        <translation>每位操作員每小時平均</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="201" />
        <source>≤ 6 acceptable, ≤ 12 manageable</source>
        <translation>≤ 6 可接受，≤ 12 可管理</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="205" />
        <source>10-minute periods in flood (&gt; 10)</source>
        <translation>警報氾濫的 10 分鐘區間（&gt; 10）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="206" />
        <source>&lt; 1 %</source>
        <translation>&lt; 1 %</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="210" />
        <source>Peak alarms in 10 minutes</source>
        <translation>10 分鐘內警報峰值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="211" />
        <source>≤ 10</source>
        <translation>≤ 10</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="215" />
        <source>Share of the top 10 alarms</source>
        <translation>前 10 名警報占比</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="216" />
        <source>≤ 5 %</source>
        <translation>≤ 5 %</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="220" />
        <source>Chattering alarms (≥ 3 in 60 s)</source>
        <translation>顫動警報（60 秒內 ≥ 3 次）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="221" />
        <source>0</source>
        <translation>0</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="225" />
        <source>Stale alarms (active &gt; 24 h)</source>
        <translation>陳舊警報（作用中 &gt; 24 小時）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="226" />
        <source>&lt; 5</source>
        <translation>&lt; 5</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="230" />
        <source>Shelve actions (alarms shelved)</source>
        <translation>擱置次數（擱置的警報數）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="235" />
        <source>Shelved at the period end</source>
        <translation>期末仍擱置</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="240" />
        <source>Out of service at the period end</source>
        <translation>期末仍停用</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="258" />
        <source>Priority distribution (target ~80 / 15 / 5 / &lt;1 %)</source>
        <translation>優先級分布（目標約 80 / 15 / 5 / &lt;1 %）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="339" />
        <source>The period must end after it starts.</source>
        <translation>期間的結束必須晚於開始。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="344" />
        <source>Computing…</source>
        <translation>計算中…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="352" />
        <source>The KPIs could not be computed: {error}</source>
        <translation>無法計算績效指標：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="365" />
        <source>{since} to {until} ({hours:.1f} h), {operators} operator(s)</source>
        <translation>{since} 至 {until}（{hours:.1f} 小時），{operators} 位操作員</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="300" />
        <source>Alarm</source>
        <translation>警報</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="300" />
        <source>Count</source>
        <translation>次數</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="300" />
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_kpi.py" line="457" />
        <source>flood</source>
        <translation>氾濫</translation>
    </message>
</context>
<context>
    <name>AlarmPeriods</name>
    <message>
        <location filename="../../screens/alarm_periods.py" line="27" />
        <source>This shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_periods.py" line="28" />
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_periods.py" line="29" />
        <source>Last 24 hours</source>
        <translation>最近 24 小時</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_periods.py" line="30" />
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_periods.py" line="31" />
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_periods.py" line="32" />
        <source>Custom</source>
        <translation>自訂</translation>
    </message>
</context>
<context>
    <name>AlarmSummary</name>
    <message>
        <location filename="../../screens/alarm_summary.py" line="114" />
        <source>Filter by tag or message…</source>
        <translation>依標籤或訊息篩選…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="121" />
        <source>All priorities</source>
        <translation>所有優先級</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="132" />
        <source>All areas</source>
        <translation>所有區域</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="141" />
        <source>All states</source>
        <translation>所有狀態</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="206" />
        <source>Comment (optional)</source>
        <translation>備註（選填）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="216" />
        <source>Acknowledge</source>
        <translation>確認</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="221" />
        <source>Acknowledge all visible</source>
        <translation>確認所有顯示的警報</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="226" />
        <source>Shelve…</source>
        <translation>擱置…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="231" />
        <source>Unshelve</source>
        <translation>取消擱置</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="236" />
        <source>Remove from service…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="241" />
        <source>Return to service</source>
        <translation>恢復啟用</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="246" />
        <source>Trend</source>
        <translation>趨勢</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="249" />
        <source>Show the trend of the selected alarm's tag</source>
        <translation>顯示所選警報標籤的趨勢</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="292" />
        <source>Active ({n})</source>
        <translation>作用中（{n}）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="293" />
        <source>Shelved ({n})</source>
        <translation>已擱置（{n}）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="294" />
        <source>Suppressed / out of service ({n})</source>
        <translation>已抑制／停用（{n}）</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="301" />
        <source>{shown} shown</source>
        <translation>顯示 {shown} 筆</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="365" />
        <source>Shelve alarm</source>
        <translation>擱置警報</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="382" />
        <source>Remove alarm from service</source>
        <translation>停用警報</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="424" />
        <source>No trend: {why}</source>
        <translation>無法顯示趨勢：{why}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="436" />
        <source>Acknowledged.</source>
        <translation>已確認。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="437" />
        <source>Shelved.</source>
        <translation>已擱置。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="438" />
        <source>Unshelved.</source>
        <translation>已取消擱置。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="439" />
        <source>Removed from service.</source>
        <translation>已停用。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="442" />
        <source>Returned to service.</source>
        <translation>已恢復啟用。</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="447" />
        <source>Not allowed: {why}</source>
        <translation>不允許：{why}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_summary.py" line="454" />
        <source>Not done: {why}</source>
        <translation>未執行：{why}</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="56" />
        <source>Activated</source>
        <translation>發生時間</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="57" />
        <source>Priority</source>
        <translation>優先級</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="58" />
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="59" />
        <source>Area</source>
        <translation>區域</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="60" />
        <source>Tag</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="61" />
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="62" />
        <source>Value</source>
        <translation>數值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="63" />
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="64" />
        <source>Shelved until</source>
        <translation>擱置至</translation>
    </message>
    <message>
        <location filename="../../screens/alarm_models.py" line="65" />
        <source>By / reason</source>
        <translation>人員／原因</translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="21" />
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="22" />
        <source>Unacknowledged</source>
        <translation>未確認</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="23" />
        <source>Acknowledged</source>
        <translation>已確認</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="24" />
        <source>RTN unacknowledged</source>
        <translation>已恢復未確認</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="25" />
        <source>Shelved</source>
        <translation>已擱置</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="26" />
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="27" />
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="49" />
        <source>true</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../hmi/app/alarm_text.py" line="51" />
        <source>false</source>
        <translation>否</translation>
    </message>
</context>
</TS>