<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AlarmList</name>
    <message>
        <location filename="../line_screen.py" line="404"/>
        <source>Alarms</source>
        <translation>警報</translation>
    </message>
</context>
<context>
    <name>BicycleFactory</name>
    <message>
        <location filename="../overview.py" line="58"/>
        <source>Running</source>
        <translation>運轉</translation>
    </message>
    <message>
        <location filename="../overview.py" line="59"/>
        <source>Idle</source>
        <translation>閒置</translation>
    </message>
    <message>
        <location filename="../overview.py" line="60"/>
        <source>Down</source>
        <translation>故障停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="61"/>
        <source>Changeover</source>
        <translation>換線</translation>
    </message>
    <message>
        <location filename="../overview.py" line="62"/>
        <source>Planned stop</source>
        <translation>計畫停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="66"/>
        <source>Belt slip</source>
        <translation>皮帶打滑</translation>
    </message>
    <message>
        <location filename="../overview.py" line="67"/>
        <source>Motor overload</source>
        <translation>馬達過載</translation>
    </message>
    <message>
        <location filename="../overview.py" line="68"/>
        <source>Jam</source>
        <translation>卡料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="69"/>
        <source>Frames not delivered</source>
        <translation>車架未到料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="70"/>
        <source>Paint supply low</source>
        <translation>塗料不足</translation>
    </message>
    <message>
        <location filename="../overview.py" line="71"/>
        <source>Product changeover</source>
        <translation>產品換線</translation>
    </message>
    <message>
        <location filename="../overview.py" line="72"/>
        <source>Quality hold</source>
        <translation>品質暫停</translation>
    </message>
    <message>
        <location filename="../overview.py" line="73"/>
        <source>Sensor fault</source>
        <translation>感測器故障</translation>
    </message>
    <message>
        <location filename="../overview.py" line="74"/>
        <source>Starved upstream</source>
        <translation>上游缺料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="75"/>
        <source>Blocked downstream</source>
        <translation>下游堵塞</translation>
    </message>
    <message>
        <location filename="../overview.py" line="76"/>
        <source>Stopped by operator</source>
        <translation>操作員停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="86"/>
        <source>Motor current</source>
        <translation>馬達電流</translation>
    </message>
    <message>
        <location filename="../overview.py" line="90"/>
        <source>Motor temp.</source>
        <translation>馬達溫度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="93"/>
        <source>Conveyor speed</source>
        <translation>輸送帶速度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="97"/>
        <source>Belt tension</source>
        <translation>皮帶張力</translation>
    </message>
    <message>
        <location filename="../overview.py" line="103"/>
        <source>Weld current</source>
        <translation>焊接電流</translation>
    </message>
    <message>
        <location filename="../overview.py" line="107"/>
        <source>Oven temp.</source>
        <translation>烤爐溫度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="111"/>
        <source>Wheel runout</source>
        <translation>輪圈偏擺</translation>
    </message>
</context>
<context>
    <name>BicycleLine</name>
    <message>
        <location filename="../line_screen.py" line="105"/>
        <source>Frame tubes</source>
        <translation>車架管材</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="106"/>
        <source>To painting</source>
        <translation>往塗裝</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="109"/>
        <source>Welding robot</source>
        <translation>焊接機器人</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="113"/>
        <source>Weld current</source>
        <translation>焊接電流</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="117"/>
        <source>Arc voltage</source>
        <translation>焊接電壓</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="123"/>
        <source>Weld current setpoint</source>
        <translation>焊接電流設定值</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="131"/>
        <source>From painting</source>
        <translation>來自塗裝</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="132"/>
        <source>Finished bicycles</source>
        <translation>成車</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="135"/>
        <source>Wheel truing stand</source>
        <translation>輪圈校正台</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="139"/>
        <source>Wheel runout</source>
        <translation>輪圈偏擺</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="151"/>
        <source>Motor current</source>
        <translation>馬達電流</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="152"/>
        <source>Motor temperature</source>
        <translation>馬達溫度</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="153"/>
        <source>Belt tension</source>
        <translation>皮帶張力</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="185"/>
        <source>Plant overview</source>
        <translation>全廠總覽</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="221"/>
        <source>Product</source>
        <translation>產品</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="222"/>
        <source>Rate</source>
        <translation>產出速率</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="223"/>
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="224"/>
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="262"/>
        <location filename="../line_screen.py" line="283"/>
        <source>Belt speed</source>
        <translation>輸送帶速度</translation>
    </message>
    <message>
        <location filename="../parts.py" line="77"/>
        <source>Conveyor</source>
        <translation>輸送帶</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="289"/>
        <source>Belt speed setpoint</source>
        <translation>輸送帶速度設定值</translation>
    </message>
    <message>
        <location filename="../line_screen.py" line="294"/>
        <source>Conveyor drive</source>
        <translation>輸送帶驅動</translation>
    </message>
    <message>
        <location filename="../parts.py" line="82"/>
        <source>Drive motor</source>
        <translation>驅動馬達</translation>
    </message>
</context>
<context>
    <name>ConveyorFaceplate</name>
    <message>
        <location filename="../faceplates.py" line="40"/>
        <source>Voltage</source>
        <translation>電壓</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="41"/>
        <source>Current</source>
        <translation>電流</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="42"/>
        <source>Temperature</source>
        <translation>溫度</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="43"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="44"/>
        <source>Belt tension</source>
        <translation>皮帶張力</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="66"/>
        <source>{line} — conveyor drive</source>
        <translation>{line} — 輸送帶驅動</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="75"/>
        <source>Motor</source>
        <translation>馬達</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="122"/>
        <source>Speed setpoint</source>
        <translation>速度設定值</translation>
    </message>
    <message>
        <location filename="../faceplates.py" line="135"/>
        <source>Drive signals · trend of the last 5 min</source>
        <translation>驅動訊號 · 最近 5 分鐘趨勢</translation>
    </message>
</context>
<context>
    <name>LinePanel</name>
    <message>
        <location filename="../line_panel.py" line="68"/>
        <source>Start</source>
        <translation>啟動</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="70"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="100"/>
        <source>Start line</source>
        <translation>啟動產線</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="101"/>
        <source>Start line {line}?</source>
        <translation>確定啟動產線「{line}」？</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="105"/>
        <source>Stop line</source>
        <translation>停止產線</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="106"/>
        <source>Stop line {line}?</source>
        <translation>確定停止產線「{line}」？</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="119"/>
        <source>Starting…</source>
        <translation>啟動中…</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="121"/>
        <source>Stopping…</source>
        <translation>停止中…</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="130"/>
        <source>Could not start line {line}: {error}</source>
        <translation>無法啟動產線「{line}」：{error}</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="132"/>
        <source>Could not stop line {line}: {error}</source>
        <translation>無法停止產線「{line}」：{error}</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="136"/>
        <source>Write failed</source>
        <translation>寫入失敗</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="169"/>
        <source>Line screen ›</source>
        <translation>產線畫面 ›</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="191"/>
        <source>Product</source>
        <translation>產品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="193"/>
        <source>Rate</source>
        <translation>產出速率</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="194"/>
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="196"/>
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="201"/>
        <source>Process values</source>
        <translation>製程數值</translation>
    </message>
</context>
<context>
    <name>PaintingLine</name>
    <message>
        <location filename="../screens/painting.ui" line="72"/>
        <source>Product</source>
        <translation>產品</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="85"/>
        <source>Rate</source>
        <translation>產出速率</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="98"/>
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="111"/>
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="158"/>
        <source>From welding</source>
        <translation>來自焊接</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="214"/>
        <source>Conveyor</source>
        <translation>輸送帶</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="239"/>
        <source>Drive motor</source>
        <translation>驅動馬達</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="261"/>
        <location filename="../screens/painting.ui" line="501"/>
        <source>Belt speed</source>
        <translation>輸送帶速度</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="321"/>
        <location filename="../screens/painting.ui" line="588"/>
        <source>Spray booth</source>
        <translation>噴漆室</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="334"/>
        <location filename="../screens/painting.ui" line="601"/>
        <source>Booth humidity</source>
        <translation>噴漆室濕度</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="394"/>
        <location filename="../screens/painting.ui" line="648"/>
        <source>Curing oven</source>
        <translation>烤爐</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="407"/>
        <location filename="../screens/painting.ui" line="661"/>
        <source>Oven temperature</source>
        <translation>烤爐溫度</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="443"/>
        <source>To assembly</source>
        <translation>往總裝</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="488"/>
        <source>Conveyor drive</source>
        <translation>輸送帶驅動</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="511"/>
        <source>Belt speed setpoint</source>
        <translation>輸送帶速度設定值</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="521"/>
        <source>Motor current</source>
        <translation>馬達電流</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="531"/>
        <source>Motor temperature</source>
        <translation>馬達溫度</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="541"/>
        <source>Belt tension</source>
        <translation>皮帶張力</translation>
    </message>
    <message>
        <location filename="../screens/painting.ui" line="671"/>
        <source>Oven temperature setpoint</source>
        <translation>烤爐溫度設定值</translation>
    </message>
</context>
</TS>
