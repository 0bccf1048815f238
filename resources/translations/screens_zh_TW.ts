<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../../screens/diagnostics.py" line="115"/>
        <source>Connections</source>
        <translation>連線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="133"/>
        <source>Tags</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="136"/>
        <source>Filter by tag name…</source>
        <translation>依標籤名稱篩選…</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="147"/>
        <source>All lines</source>
        <translation>所有產線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="154"/>
        <source>All connections</source>
        <translation>所有連線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="162"/>
        <source>All qualities</source>
        <translation>所有品質</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="163"/>
        <source>Not good</source>
        <translation>非良好</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="172"/>
        <location filename="../../screens/diagnostics.py" line="333"/>
        <location filename="../../screens/diagnostics_write.py" line="109"/>
        <source>Write…</source>
        <translation>寫入…</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="264"/>
        <source>{shown} of {total} tags</source>
        <translation>顯示 {shown} / 共 {total} 個標籤</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="277"/>
        <source>Tags by quality: {counts}</source>
        <translation>各品質標籤數：{counts}</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="270"/>
        <source>this station records plant history and OEE</source>
        <translation>本站記錄工廠歷史與 OEE</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="270"/>
        <source>unknown (no database)</source>
        <translation>不明（無資料庫）</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="270"/>
        <source>standby: {station} records plant history and OEE</source>
        <translation>待命：由 {station} 記錄工廠歷史與 OEE</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="270"/>
        <source>Station {station} · database {database} · {role}</source>
        <translation>站台 {station} · 資料庫 {database} · {role}</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics.py" line="336"/>
        <source>Copy tag name</source>
        <translation>複製標籤名稱</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="60"/>
        <source>Tag</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="61"/>
        <source>Value</source>
        <translation>數值</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="62"/>
        <source>Units</source>
        <translation>單位</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="63"/>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="64"/>
        <source>Source time</source>
        <translation>來源時間</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="65"/>
        <source>Received</source>
        <translation>接收時間</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="66"/>
        <location filename="../../screens/diagnostics_connections.py" line="46"/>
        <source>Connection</source>
        <translation>連線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="67"/>
        <source>Address</source>
        <translation>位址</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="68"/>
        <source>Line</source>
        <translation>產線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="126"/>
        <source>On</source>
        <translation>開</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_model.py" line="127"/>
        <source>Off</source>
        <translation>關</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="47"/>
        <source>Driver</source>
        <translation>驅動程式</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="48"/>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="49"/>
        <source>Since</source>
        <translation>起始時間</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="50"/>
        <source>Endpoint</source>
        <translation>端點</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="51"/>
        <source>Connects</source>
        <translation>連線次數</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="52"/>
        <source>Updates</source>
        <translation>更新數</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="53"/>
        <source>Req/s</source>
        <translation>請求/秒</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="54"/>
        <source>ms mean / max</source>
        <translation>ms 平均 / 最大</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="56"/>
        <source>By kind</source>
        <translation>錯誤類別</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="55"/>
        <source>Errors</source>
        <translation>錯誤數</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="57"/>
        <source>Last error</source>
        <translation>最近錯誤</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="64"/>
        <source>Time of the last state change</source>
        <translation>最近一次狀態變化的時間</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="65"/>
        <source>Successful connects since start</source>
        <translation>啟動以來成功連線次數</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="66"/>
        <source>Tag updates delivered since start</source>
        <translation>啟動以來送達的標籤更新數</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="67"/>
        <source>Requests per second (polled drivers)</source>
        <translation>每秒請求數（輪詢式驅動程式）</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="68"/>
        <source>Response time in milliseconds: mean and maximum (polled drivers)</source>
        <translation>回應時間（毫秒）：平均與最大（輪詢式驅動程式）</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="71"/>
        <source>Errors by kind, most frequent first</source>
        <translation>各類錯誤次數，最常見者在前</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="78"/>
        <source>connected</source>
        <translation>已連線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="79"/>
        <source>connecting</source>
        <translation>連線中</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="80"/>
        <source>disconnected</source>
        <translation>已斷線</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_connections.py" line="81"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="58"/>
        <source>Write tag</source>
        <translation>寫入標籤</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="87"/>
        <source>Tag:</source>
        <translation>標籤：</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="90"/>
        <source>Type:</source>
        <translation>型別：</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="92"/>
        <source>Current value:</source>
        <translation>目前數值：</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="98"/>
        <source>New value:</source>
        <translation>新數值：</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="112"/>
        <source>Confirm write</source>
        <translation>確認寫入</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="115"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="118"/>
        <location filename="../../screens/diagnostics_write.py" line="188"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="144"/>
        <source>Write {tag}: {old} → {new}?</source>
        <translation>寫入 {tag}：{old} → {new}？</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="154"/>
        <source>Writing…</source>
        <translation>寫入中…</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="164"/>
        <source>Written: {value}</source>
        <translation>已寫入：{value}</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="168"/>
        <source>Not written: {error}</source>
        <translation>未寫入：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="186"/>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="224"/>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="226"/>
        <source>text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../screens/diagnostics_write.py" line="227"/>
        <source>a number</source>
        <translation>數字</translation>
    </message>
</context>
</TS>
