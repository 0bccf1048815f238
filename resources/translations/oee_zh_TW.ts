<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>OeeCard</name>
    <message>
        <location filename="../../widgets/state_timeline.py" line="37" />
        <source>Running</source>
        <translation>運轉</translation>
    </message>
    <message>
        <location filename="../../widgets/state_timeline.py" line="38" />
        <source>Idle</source>
        <translation>待機</translation>
    </message>
    <message>
        <location filename="../../widgets/state_timeline.py" line="39" />
        <source>Down</source>
        <translation>停機</translation>
    </message>
    <message>
        <location filename="../../widgets/state_timeline.py" line="40" />
        <source>Changeover</source>
        <translation>換線</translation>
    </message>
    <message>
        <location filename="../../widgets/state_timeline.py" line="41" />
        <source>Planned stop</source>
        <translation>計畫停機</translation>
    </message>
    <message>
        <location filename="../../widgets/state_timeline.py" line="42" />
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="163" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="178" />
        <location filename="../../screens/oee_dashboard.py" line="186" />
        <source>A</source>
        <translation>稼動</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="179" />
        <location filename="../../screens/oee_dashboard.py" line="187" />
        <source>P</source>
        <translation>性能</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="180" />
        <location filename="../../screens/oee_dashboard.py" line="188" />
        <source>Q</source>
        <translation>良率</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="185" />
        <source>Availability: run time / planned production time</source>
        <translation>時間稼動率：運轉時間 / 計畫生產時間</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="191" />
        <source>Performance: ideal cycle time × count / run time</source>
        <translation>性能稼動率：理想週期時間 × 數量 / 運轉時間</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="195" />
        <source>Quality: good / total</source>
        <translation>良率：良品數 / 總數</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="215" />
        <source>The mark is the OEE target</source>
        <translation>刻度為 OEE 目標</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="237" />
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="238" />
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="247" />
        <source>Good parts vs ideal so far</source>
        <translation>良品數 / 理想產量（至今）</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="302" />
        <source>target %1</source>
        <translation>目標 %1</translation>
    </message>
</context>
<context>
    <name>OeeScreens</name>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="58" />
        <source>Current shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="59" />
        <source>Previous shift</source>
        <translation>上一班</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="60" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="61" />
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="62" />
        <source>Custom</source>
        <translation>自訂</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="126" />
        <source>Apply</source>
        <translation>套用</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="128" />
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="129" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="163" />
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="182" />
        <source>Line</source>
        <translation>產線</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="183" />
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="184" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="185" />
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="177" />
        <source>Availability</source>
        <translation>時間稼動率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="178" />
        <source>Performance</source>
        <translation>性能稼動率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="179" />
        <source>Quality</source>
        <translation>良率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="189" />
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="190" />
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="191" />
        <location filename="../../screens/oee_line.py" line="87" />
        <location filename="../../screens/oee_line.py" line="456" />
        <source>Downtime</source>
        <translation>停機時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="192" />
        <location filename="../../screens/oee_line.py" line="84" />
        <source>Stops</source>
        <translation>停機次數</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="193" />
        <location filename="../../screens/oee_line.py" line="82" />
        <source>MTBF</source>
        <translation>MTBF</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="194" />
        <location filename="../../screens/oee_line.py" line="83" />
        <source>MTTR</source>
        <translation>MTTR</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="257" />
        <source>below target</source>
        <translation>低於目標</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="311" />
        <source>Line details</source>
        <translation>產線明細</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="321" />
        <source>Lines and shifts compared</source>
        <translation>產線與班別比較</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="368" />
        <location filename="../../screens/oee_line.py" line="548" />
        <source>OEE figures could not be read: %1</source>
        <translation>無法讀取 OEE 數據：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="400" />
        <location filename="../../screens/oee_line.py" line="745" />
        <source>No OEE lines on this station.</source>
        <translation>本站沒有 OEE 產線。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="69" />
        <source>Equipment failure</source>
        <translation>設備故障</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="70" />
        <source>Setup / changeover</source>
        <translation>換線調機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="71" />
        <source>Idling &amp; minor stops</source>
        <translation>空轉與短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="72" />
        <source>Reduced speed</source>
        <translation>速度降低</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="73" />
        <source>Process defects</source>
        <translation>製程不良</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="74" />
        <source>Start-up rejects</source>
        <translation>開機不良</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="77" />
        <source>By reason</source>
        <translation>依原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="78" />
        <source>By category</source>
        <translation>依類別</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="79" />
        <source>Six big losses</source>
        <translation>六大損失</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="85" />
        <source>Micro-stops</source>
        <translation>短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="86" />
        <source>Run time</source>
        <translation>運轉時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="88" />
        <source>Planned production</source>
        <translation>計畫生產時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="89" />
        <source>Unknown time</source>
        <translation>未知時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="92" />
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="93" />
        <source>Duration</source>
        <translation>持續時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="94" />
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="95" />
        <source>PLC reason</source>
        <translation>PLC 原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="96" />
        <source>Assigned reason</source>
        <translation>指定原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="97" />
        <source>User</source>
        <translation>使用者</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="102" />
        <source>Unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="122" />
        <source> min</source>
        <translation> 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="164" />
        <source>Downtime reason</source>
        <translation>停機原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="180" />
        <source>Split into another reason</source>
        <translation>拆分為另一個原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="230" />
        <source>Still to assign: %1</source>
        <translation>尚待指定：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="244" />
        <source>Choose a reason.</source>
        <translation>請選擇原因。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="250" />
        <source>The parts must add up to the stop's duration.</source>
        <translation>各段時間合計須等於停機時間。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="374" />
        <source>State timeline</source>
        <translation>狀態時間軸</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="377" />
        <source>Last hour only</source>
        <translation>僅最近一小時</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="379" />
        <source>Zoom the timeline to the period's last hour</source>
        <translation>將時間軸放大至此期間的最後一小時</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="394" />
        <source>No downtime in this period</source>
        <translation>此期間無停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="410" />
        <source>Loss Pareto</source>
        <translation>損失柏拉圖</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="416" />
        <location filename="../../screens/oee_line.py" line="573" />
        <source>Good parts per hour vs ideal (dashed)</source>
        <translation>每小時良品數與理想產量（虛線）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="444" />
        <source>Assign reason…</source>
        <translation>指定原因…</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="449" />
        <source>Show micro-stops</source>
        <translation>顯示短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="571" />
        <source>Good parts per day vs ideal (dashed)</source>
        <translation>每日良品數與理想產量（虛線）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="592" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="655" />
        <source>(unassigned)</source>
        <translation>（未指定）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="706" />
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="719" />
        <source>Not saved: %1</source>
        <translation>未儲存：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="725" />
        <source>Saved: %1</source>
        <translation>已儲存：%1</translation>
    </message>
</context>
</TS>