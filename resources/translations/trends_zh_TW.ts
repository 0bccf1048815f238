<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>TrendWidget</name>
    <message>
        <location filename="../../widgets/trend.py" line="303"/>
        <source>(no units)</source>
        <translation>（無單位）</translation>
    </message>
</context>
<context>
    <name>Trends</name>
    <message>
        <location filename="../../screens/trends.py" line="54"/>
        <source>1 min</source>
        <translation>1 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="55"/>
        <source>5 min</source>
        <translation>5 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="56"/>
        <source>15 min</source>
        <translation>15 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="57"/>
        <source>1 h</source>
        <translation>1 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="58"/>
        <source>8 h</source>
        <translation>8 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="61"/>
        <source>Last hour</source>
        <translation>最近 1 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="62"/>
        <source>Last 8 hours</source>
        <translation>最近 8 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="63"/>
        <source>Last 24 hours</source>
        <translation>最近 24 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="64"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="65"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="143"/>
        <location filename="../../screens/trends.py" line="430"/>
        <location filename="../../screens/trends.py" line="488"/>
        <source>No historian: live values only</source>
        <translation>無歷史資料庫：僅顯示即時值</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="153"/>
        <source>Tags</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="159"/>
        <source>Saved views</source>
        <translation>已存檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="205"/>
        <source>Cursor</source>
        <translation>游標</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="209"/>
        <source>A line you drag to read every pen&apos;s value</source>
        <translation>可拖曳的垂直線，讀取每支趨勢筆在該時刻的值</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="213"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="216"/>
        <source>Export the visible data to a CSV file</source>
        <translation>將可見資料匯出為 CSV 檔</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="220"/>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="223"/>
        <source>Save the plot as a PNG image</source>
        <translation>將趨勢圖存為 PNG 圖檔</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="230"/>
        <source>Save view…</source>
        <translation>儲存檢視…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="239"/>
        <source>Live</source>
        <translation>即時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="242"/>
        <source>History</source>
        <translation>歷史</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="263"/>
        <source>Window</source>
        <translation>時間窗</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="273"/>
        <location filename="../../screens/trends.py" line="415"/>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="289"/>
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="290"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="296"/>
        <source>Show</source>
        <translation>顯示</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="301"/>
        <source>Presets…</source>
        <translation>預設範圍…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="307"/>
        <source>Back to live</source>
        <translation>回到即時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="327"/>
        <source>{tag} is already trended</source>
        <translation>{tag} 已在趨勢圖中</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="333"/>
        <source>{tag} is not a numeric tag</source>
        <translation>{tag} 不是數值標籤</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="413"/>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="444"/>
        <source>The end of the range must be after its start</source>
        <translation>範圍結束時間必須晚於開始時間</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="494"/>
        <source>Loading history…</source>
        <translation>正在載入歷史資料…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="508"/>
        <source>History not available for: {tags}</source>
        <translation>無法取得歷史資料：{tags}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="515"/>
        <source>History: {points} points</source>
        <translation>歷史資料：{points} 點</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="534"/>
        <source>Cursor: {time}</source>
        <translation>游標：{time}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="551"/>
        <source>Exported {rows} rows to {path}</source>
        <translation>已匯出 {rows} 列至 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="560"/>
        <source>Saved {path}</source>
        <translation>已儲存 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="562"/>
        <source>Cannot write {path}</source>
        <translation>無法寫入 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="572"/>
        <source>Export CSV</source>
        <translation>匯出 CSV</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="574"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="582"/>
        <source>Save image</source>
        <translation>儲存圖檔</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="584"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 圖檔 (*.png)</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="608"/>
        <source>View &apos;{name}&apos; saved</source>
        <translation>已儲存檢視「{name}」</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="629"/>
        <source>Views…</source>
        <translation>檢視…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="647"/>
        <source>Save view</source>
        <translation>儲存檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="648"/>
        <source>Name of the view:</source>
        <translation>檢視名稱：</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="43"/>
        <source>Solid</source>
        <translation>實線</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="44"/>
        <source>Dashed</source>
        <translation>虛線</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="45"/>
        <source>Dotted</source>
        <translation>點線</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="46"/>
        <source>Dash-dot</source>
        <translation>點劃線</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="73"/>
        <source>Search tags…</source>
        <translation>搜尋標籤…</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="87"/>
        <source>Add pen</source>
        <translation>加入趨勢筆</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="128"/>
        <source>Tag</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="129"/>
        <source>Description</source>
        <translation>說明</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="130"/>
        <source>Value</source>
        <translation>目前值</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="131"/>
        <source>At cursor</source>
        <translation>游標處</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="132"/>
        <source>Colour</source>
        <translation>顏色</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="133"/>
        <source>Line</source>
        <translation>線型</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="162"/>
        <source>Show or hide this pen</source>
        <translation>顯示或隱藏此趨勢筆</translation>
    </message>
    <message>
        <location filename="../../screens/trend_pens.py" line="190"/>
        <source>Remove this pen</source>
        <translation>移除此趨勢筆</translation>
    </message>
</context>
</TS>
