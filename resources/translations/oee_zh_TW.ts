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
        <location filename="../../widgets/oee_card.py" line="176" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="198" />
        <location filename="../../widgets/oee_card.py" line="191" />
        <source>A</source>
        <translation>稼動</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="199" />
        <location filename="../../widgets/oee_card.py" line="192" />
        <source>P</source>
        <translation>性能</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="200" />
        <location filename="../../widgets/oee_card.py" line="193" />
        <source>Q</source>
        <translation>良率</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="198" />
        <source>Availability: run time / planned production time</source>
        <translation>時間稼動率：運轉時間 / 計畫生產時間</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="204" />
        <source>Performance: ideal cycle time × count / run time</source>
        <translation>性能稼動率：理想週期時間 × 數量 / 運轉時間</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="208" />
        <source>Quality: good / total</source>
        <translation>良率：良品數 / 總數</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="228" />
        <source>The mark is the OEE target</source>
        <translation>刻度為 OEE 目標</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="250" />
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="251" />
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="260" />
        <source>Good parts vs ideal so far</source>
        <translation>良品數 / 理想產量（至今）</translation>
    </message>
    <message>
        <location filename="../../widgets/oee_card.py" line="327" />
        <source>target %1</source>
        <translation>目標 %1</translation>
    </message>
</context>
<context>
    <name>OeeScreens</name>
    <message>
        <location filename="../../screens/oee_line.py" line="76" />
        <source>Other (%1 reasons)</source>
        <translation>其他（%1 個原因）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="77" />
        <source>Other (%1 categories)</source>
        <translation>其他（%1 個類別）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="78" />
        <source>Other (%1 losses)</source>
        <translation>其他（%1 項損失）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="62" />
        <source>Current shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="63" />
        <source>Previous shift</source>
        <translation>上一班</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="64" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="65" />
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="60" />
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="175" />
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="194" />
        <source>Line</source>
        <translation>產線</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="195" />
        <source>Period</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="196" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="197" />
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="189" />
        <source>Availability</source>
        <translation>時間稼動率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="60" />
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="66" />
        <source>Custom…</source>
        <translation>自訂…</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="190" />
        <source>Performance</source>
        <translation>性能稼動率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="191" />
        <source>Quality</source>
        <translation>良率</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="201" />
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="202" />
        <source>Reject</source>
        <translation>不良品</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="203" />
        <location filename="../../screens/oee_line.py" line="91" />
        <location filename="../../screens/oee_downtime.py" line="121" />
        <source>Downtime</source>
        <translation>停機時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="204" />
        <location filename="../../screens/oee_line.py" line="88" />
        <source>Stops</source>
        <translation>停機次數</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="205" />
        <location filename="../../screens/oee_line.py" line="86" />
        <source>MTBF</source>
        <translation>MTBF</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="206" />
        <location filename="../../screens/oee_line.py" line="87" />
        <source>MTTR</source>
        <translation>MTTR</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="271" />
        <source>below target</source>
        <translation>低於目標</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="335" />
        <source>Line details</source>
        <translation>產線明細</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="351" />
        <source>Lines and shifts compared</source>
        <translation>產線與班別比較</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="398" />
        <location filename="../../screens/oee_line.py" line="333" />
        <source>OEE figures could not be read: %1</source>
        <translation>無法讀取 OEE 數據：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_dashboard.py" line="432" />
        <location filename="../../screens/oee_line.py" line="467" />
        <source>No OEE lines on this station.</source>
        <translation>本站沒有 OEE 產線。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="67" />
        <source>Equipment failure</source>
        <translation>設備故障</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="68" />
        <source>Setup / changeover</source>
        <translation>換線調機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="69" />
        <source>Idling &amp; minor stops</source>
        <translation>空轉與短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="70" />
        <source>Reduced speed</source>
        <translation>速度降低</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="71" />
        <source>Process defects</source>
        <translation>製程不良</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="72" />
        <source>Start-up rejects</source>
        <translation>開機不良</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="81" />
        <source>By reason</source>
        <translation>依原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="82" />
        <source>By category</source>
        <translation>依類別</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="83" />
        <source>Six big losses</source>
        <translation>六大損失</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="89" />
        <source>Micro-stops</source>
        <translation>短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="90" />
        <source>Run time</source>
        <translation>運轉時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="92" />
        <source>Planned production</source>
        <translation>計畫生產時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="93" />
        <source>Unknown time</source>
        <translation>未知時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="38" />
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="39" />
        <source>Duration</source>
        <translation>持續時間</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="40" />
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="41" />
        <source>PLC reason</source>
        <translation>PLC 原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="42" />
        <source>Assigned reason</source>
        <translation>指定原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="43" />
        <source>User</source>
        <translation>使用者</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="98" />
        <source>Unassigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="234" />
        <location filename="../../screens/oee_line.py" line="360" />
        <source>Good parts per hour: ideal (dashed), target (line)</source>
        <translation>每小時良品數：理想產量（虛線）、目標（實線）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="356" />
        <source>Good parts per day: ideal (dashed), target (line)</source>
        <translation>每日良品數：理想產量（虛線）、目標（實線）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="48" />
        <source> min</source>
        <translation> 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="90" />
        <source>Downtime reason</source>
        <translation>停機原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="106" />
        <source>Split into another reason</source>
        <translation>拆分為另一個原因</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="156" />
        <source>Still to assign: %1</source>
        <translation>尚待指定：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="170" />
        <source>Choose a reason.</source>
        <translation>請選擇原因。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_reasons.py" line="176" />
        <source>The parts must add up to the stop's duration.</source>
        <translation>各段時間合計須等於停機時間。</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="185" />
        <source>State timeline</source>
        <translation>狀態時間軸</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="188" />
        <source>Last hour only</source>
        <translation>僅最近一小時</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="190" />
        <source>Zoom the timeline to the period's last hour</source>
        <translation>將時間軸放大至此期間的最後一小時</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="209" />
        <source>No downtime in this period</source>
        <translation>此期間無停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="227" />
        <source>Loss Pareto</source>
        <translation>損失柏拉圖</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="102" />
        <source>Assign reason…</source>
        <translation>指定原因…</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="107" />
        <source>Show micro-stops</source>
        <translation>顯示短暫停機</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="381" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../screens/oee_downtime.py" line="194" />
        <source>(unassigned)</source>
        <translation>（未指定）</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="429" />
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="442" />
        <source>Not saved: %1</source>
        <translation>未儲存：%1</translation>
    </message>
    <message>
        <location filename="../../screens/oee_line.py" line="448" />
        <source>Saved: %1</source>
        <translation>已儲存：%1</translation>
    </message>
</context>
</TS>