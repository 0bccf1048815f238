<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>BicycleFactory</name>
    <message>
        <location filename="../overview.py" line="41" />
        <source>Running</source>
        <translation>運轉</translation>
    </message>
    <message>
        <location filename="../overview.py" line="42" />
        <source>Idle</source>
        <translation>閒置</translation>
    </message>
    <message>
        <location filename="../overview.py" line="43" />
        <source>Down</source>
        <translation>故障停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="44" />
        <source>Changeover</source>
        <translation>換線</translation>
    </message>
    <message>
        <location filename="../overview.py" line="45" />
        <source>Planned stop</source>
        <translation>計畫停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="49" />
        <source>Belt slip</source>
        <translation>皮帶打滑</translation>
    </message>
    <message>
        <location filename="../overview.py" line="50" />
        <source>Motor overload</source>
        <translation>馬達過載</translation>
    </message>
    <message>
        <location filename="../overview.py" line="51" />
        <source>Jam</source>
        <translation>卡料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="52" />
        <source>Frames not delivered</source>
        <translation>車架未到料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="53" />
        <source>Paint supply low</source>
        <translation>塗料不足</translation>
    </message>
    <message>
        <location filename="../overview.py" line="54" />
        <source>Product changeover</source>
        <translation>產品換線</translation>
    </message>
    <message>
        <location filename="../overview.py" line="55" />
        <source>Quality hold</source>
        <translation>品質暫停</translation>
    </message>
    <message>
        <location filename="../overview.py" line="56" />
        <source>Sensor fault</source>
        <translation>感測器故障</translation>
    </message>
    <message>
        <location filename="../overview.py" line="57" />
        <source>Starved upstream</source>
        <translation>上游缺料</translation>
    </message>
    <message>
        <location filename="../overview.py" line="58" />
        <source>Blocked downstream</source>
        <translation>下游堵塞</translation>
    </message>
    <message>
        <location filename="../overview.py" line="59" />
        <source>Stopped by operator</source>
        <translation>操作員停機</translation>
    </message>
    <message>
        <location filename="../overview.py" line="69" />
        <source>Motor current</source>
        <translation>馬達電流</translation>
    </message>
    <message>
        <location filename="../overview.py" line="73" />
        <source>Motor temp.</source>
        <translation>馬達溫度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="76" />
        <source>Conveyor speed</source>
        <translation>輸送帶速度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="80" />
        <source>Belt tension</source>
        <translation>皮帶張力</translation>
    </message>
    <message>
        <location filename="../overview.py" line="86" />
        <source>Weld current</source>
        <translation>焊接電流</translation>
    </message>
    <message>
        <location filename="../overview.py" line="90" />
        <source>Oven temp.</source>
        <translation>烤爐溫度</translation>
    </message>
    <message>
        <location filename="../overview.py" line="94" />
        <source>Wheel runout</source>
        <translation>輪圈偏擺</translation>
    </message>
</context>
<context>
    <name>LinePanel</name>
    <message>
        <location filename="../line_panel.py" line="63" />
        <source>Start</source>
        <translation>啟動</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="65" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="89" />
        <source>Start line</source>
        <translation>啟動產線</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="90" />
        <source>Start line {line}?</source>
        <translation>確定啟動產線「{line}」？</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="94" />
        <source>Stop line</source>
        <translation>停止產線</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="95" />
        <source>Stop line {line}?</source>
        <translation>確定停止產線「{line}」？</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="108" />
        <source>Starting…</source>
        <translation>啟動中…</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="110" />
        <source>Stopping…</source>
        <translation>停止中…</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="119" />
        <source>Could not start line {line}: {error}</source>
        <translation>無法啟動產線「{line}」：{error}</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="121" />
        <source>Could not stop line {line}: {error}</source>
        <translation>無法停止產線「{line}」：{error}</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="125" />
        <source>Write failed</source>
        <translation>寫入失敗</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="171" />
        <source>Product</source>
        <translation>產品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="173" />
        <source>Rate</source>
        <translation>產出速率</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="174" />
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="176" />
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../line_panel.py" line="181" />
        <source>Process values</source>
        <translation>製程數值</translation>
    </message>
</context>
</TS>