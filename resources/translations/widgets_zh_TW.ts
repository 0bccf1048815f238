<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>Quality</name>
    <message>
        <location filename="../../widgets/_quality.py" line="57" />
        <source>UNCERTAIN</source>
        <translation>不確定</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="59" />
        <source>BAD</source>
        <translation>品質不良</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="61" />
        <source>STALE</source>
        <translation>逾時</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="63" />
        <source>NO COMM</source>
        <translation>斷線</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="71" />
        <source>good</source>
        <translation>良好</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="73" />
        <source>uncertain</source>
        <translation>不確定</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="75" />
        <source>bad</source>
        <translation>品質不良</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="77" />
        <source>stale</source>
        <translation>逾時未更新</translation>
    </message>
    <message>
        <location filename="../../widgets/_quality.py" line="79" />
        <source>disconnected</source>
        <translation>斷線</translation>
    </message>
</context>
<context>
    <name>StateIndicator</name>
    <message>
        <location filename="../../widgets/state_indicator.py" line="146" />
        <source>State {code}</source>
        <translation>狀態 {code}</translation>
    </message>
    <message>
        <location filename="../../widgets/state_indicator.py" line="166" />
        <source>Reason {code}</source>
        <translation>原因 {code}</translation>
    </message>
</context>
<context>
    <name>ValueDisplay</name>
    <message>
        <location filename="../../widgets/value_display.py" line="53" />
        <source>On</source>
        <translation>開</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="54" />
        <source>Off</source>
        <translation>關</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="151" />
        <source>Tag: {name}</source>
        <translation>點位：{name}</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="155" />
        <source>No value received yet</source>
        <translation>尚未收到數值</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="160" />
        <source>Value: {value}</source>
        <translation>數值：{value}</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="166" />
        <source>Quality: {quality}</source>
        <translation>品質：{quality}</translation>
    </message>
    <message>
        <location filename="../../widgets/value_display.py" line="169" />
        <source>Source time: {time}</source>
        <translation>來源時間：{time}</translation>
    </message>
</context>
</TS>