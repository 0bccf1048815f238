<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AlarmList</name>
    <message>
        <location filename="../../widgets/alarm_list.py" line="124"/>
        <source>Click to select, double-click for the alarm summary</source>
        <translation>按一下選取，按兩下開啟警報總覽</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="177"/>
        <source>Acknowledge</source>
        <translation>確認</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="180"/>
        <source>Acknowledge the selected alarms (click a row to select)</source>
        <translation>確認選取的警報（按一下列即可選取）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="186"/>
        <source>All alarms</source>
        <translation>全部警報</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="191"/>
        <source>Open the alarm summary</source>
        <translation>開啟警報總覽</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="203"/>
        <source>No active alarms</source>
        <translation>無作用中警報</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="244"/>
        <source>Alarms: {where}</source>
        <translation>警報：{where}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="246"/>
        <source>Alarms</source>
        <translation>警報</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="312"/>
        <source>{n} active, {u} unacknowledged</source>
        <translation>作用中 {n} 筆，未確認 {u} 筆</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="376"/>
        <source>Not allowed: {why}</source>
        <translation>不允許：{why}</translation>
    </message>
</context>
</TS>
