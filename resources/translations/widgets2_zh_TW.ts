<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>CommandButton</name>
    <message>
        <location filename="../../widgets/push_button.py" line="132"/>
        <source>You have no permission for this command</source>
        <translation>您沒有執行此命令的權限</translation>
    </message>
    <message>
        <location filename="../../widgets/push_button.py" line="138"/>
        <source>No connection: the command cannot be sent</source>
        <translation>斷線：無法送出命令</translation>
    </message>
    <message>
        <location filename="../../widgets/push_button.py" line="153"/>
        <source>{command}: send the command to {tag}?</source>
        <translation>{command}：確定要送出命令至 {tag}？</translation>
    </message>
    <message>
        <location filename="../../widgets/push_button.py" line="158"/>
        <source>Sending…</source>
        <translation>傳送中…</translation>
    </message>
    <message>
        <location filename="../../widgets/push_button.py" line="167"/>
        <source>Command failed: {error}</source>
        <translation>命令失敗：{error}</translation>
    </message>
</context>
<context>
    <name>Indicator</name>
    <message>
        <location filename="../../widgets/indicator.py" line="203"/>
        <source>State {code}</source>
        <translation>狀態 {code}</translation>
    </message>
</context>
<context>
    <name>SetpointEntry</name>
    <message>
        <location filename="../../widgets/setpoint.py" line="80"/>
        <source>Set</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="166"/>
        <location filename="../../widgets/setpoint.py" line="185"/>
        <source>You have no permission to change this setpoint</source>
        <translation>您沒有變更此設定值的權限</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="170"/>
        <source>No connection: the setpoint cannot be written</source>
        <translation>斷線：無法寫入設定值</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="192"/>
        <source>Enter a number</source>
        <translation>請輸入數字</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="194"/>
        <source>Enter a whole number</source>
        <translation>請輸入整數</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="197"/>
        <source>Out of limits: allowed {limits}</source>
        <translation>超出限值：允許範圍 {limits}</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="203"/>
        <source>Change {tag} from {old} to {new}?</source>
        <translation>確定將 {tag} 由 {old} 變更為 {new}？</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="211"/>
        <source>Change setpoint</source>
        <translation>變更設定值</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="215"/>
        <source>Writing…</source>
        <translation>寫入中…</translation>
    </message>
    <message>
        <location filename="../../widgets/setpoint.py" line="230"/>
        <source>Write failed: {error}</source>
        <translation>寫入失敗：{error}</translation>
    </message>
</context>
<context>
    <name>TagMenu</name>
    <message>
        <location filename="../../widgets/context_menu.py" line="38"/>
        <source>Trend this tag</source>
        <translation>此點位趨勢圖</translation>
    </message>
    <message>
        <location filename="../../widgets/context_menu.py" line="39"/>
        <source>Alarm history of this tag</source>
        <translation>此點位警報歷史</translation>
    </message>
    <message>
        <location filename="../../widgets/context_menu.py" line="40"/>
        <source>Faceplate</source>
        <translation>操作面板</translation>
    </message>
</context>
<context>
    <name>TagTooltip</name>
    <message>
        <location filename="../../widgets/_tooltip.py" line="32"/>
        <source>Tag: {name}</source>
        <translation>點位：{name}</translation>
    </message>
    <message>
        <location filename="../../widgets/_tooltip.py" line="36"/>
        <source>No value received yet</source>
        <translation>尚未收到數值</translation>
    </message>
    <message>
        <location filename="../../widgets/_tooltip.py" line="41"/>
        <source>Value: {value}</source>
        <translation>數值：{value}</translation>
    </message>
    <message>
        <location filename="../../widgets/_tooltip.py" line="47"/>
        <source>Quality: {quality}</source>
        <translation>品質：{quality}</translation>
    </message>
    <message>
        <location filename="../../widgets/_tooltip.py" line="50"/>
        <source>Source time: {time}</source>
        <translation>來源時間：{time}</translation>
    </message>
    <message>
        <location filename="../../widgets/_tooltip.py" line="56"/>
        <source>In alarm, priority {priority}</source>
        <translation>警報中，優先等級 {priority}</translation>
    </message>
</context>
<context>
    <name>TagWidget</name>
    <message>
        <location filename="../../widgets/_tagcore.py" line="51"/>
        <source>On</source>
        <translation>開</translation>
    </message>
    <message>
        <location filename="../../widgets/_tagcore.py" line="52"/>
        <source>Off</source>
        <translation>關</translation>
    </message>
</context>
<context>
    <name>WidgetGallery</name>
    <message>
        <location filename="../../screens/gallery.py" line="102"/>
        <source>gallery example</source>
        <translation>展示範例</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="171"/>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="172"/>
        <source>Uncertain</source>
        <translation>不確定</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="173"/>
        <source>Stale</source>
        <translation>逾時</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="174"/>
        <source>Bad</source>
        <translation>品質不良</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="175"/>
        <source>No comm</source>
        <translation>斷線</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="180"/>
        <source>Alarm P{n}</source>
        <translation>警報 P{n}</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="289"/>
        <source>Running</source>
        <translation>運轉中</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="290"/>
        <source>Stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="293"/>
        <source>Off</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="294"/>
        <source>Manual</source>
        <translation>手動</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="295"/>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="296"/>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="302"/>
        <location filename="../../screens/gallery.py" line="354"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="320"/>
        <source>Temp.</source>
        <translation>溫度</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="331"/>
        <source>Speed SP</source>
        <translation>速度設定</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="340"/>
        <source>Start</source>
        <translation>啟動</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="351"/>
        <source>Value display</source>
        <translation>數值顯示</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="362"/>
        <source>Indicator / multi-state label</source>
        <translation>指示燈／多狀態標籤</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="372"/>
        <source>Bar (normal band)</source>
        <translation>棒狀圖（正常範圍）</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="379"/>
        <source>Gauge / vertical bar</source>
        <translation>儀表／垂直棒狀圖</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="386"/>
        <source>Sparkline</source>
        <translation>迷你趨勢線</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="389"/>
        <source>Current</source>
        <translation>電流</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="397"/>
        <source>Setpoint entry</source>
        <translation>設定值輸入</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="404"/>
        <source>Command button</source>
        <translation>命令按鈕</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="411"/>
        <source>Motor / valve</source>
        <translation>馬達／閥</translation>
    </message>
    <message>
        <location filename="../../screens/gallery.py" line="421"/>
        <source>Tank / conveyor</source>
        <translation>槽／輸送帶</translation>
    </message>
</context>
</TS>
