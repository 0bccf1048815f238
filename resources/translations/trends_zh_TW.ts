<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>TrendWidget</name>
    <message>
        <location filename="../../widgets/trend.py" line="313"/>
        <source>(no units)</source>
        <translation>（無單位）</translation>
    </message>
</context>
<context>
    <name>Trends</name>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="24"/>
        <source>1 min</source>
        <translation>1 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="25"/>
        <source>5 min</source>
        <translation>5 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="26"/>
        <source>15 min</source>
        <translation>15 分鐘</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="27"/>
        <source>1 h</source>
        <translation>1 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="28"/>
        <source>8 h</source>
        <translation>8 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="31"/>
        <source>Last hour</source>
        <translation>最近 1 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="32"/>
        <source>Last 8 hours</source>
        <translation>最近 8 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="33"/>
        <source>Last 24 hours</source>
        <translation>最近 24 小時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="34"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="35"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="139"/>
        <location filename="../../screens/trends.py" line="350"/>
        <location filename="../../screens/trends.py" line="386"/>
        <source>No historian: live values only</source>
        <translation>無歷史資料庫：僅顯示即時值</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="161"/>
        <source>Tags</source>
        <translation>標籤</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="88"/>
        <source>Views</source>
        <translation>檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="207"/>
        <source>Cursor</source>
        <translation>游標</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="211"/>
        <source>A line you drag to read every pen&apos;s value</source>
        <translation>可拖曳的垂直線，讀取每支趨勢筆在該時刻的值</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="215"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="218"/>
        <source>Export the visible data to a CSV file</source>
        <translation>將可見資料匯出為 CSV 檔</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="222"/>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="225"/>
        <source>Save the plot as a PNG image</source>
        <translation>將趨勢圖存為 PNG 圖檔</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="69"/>
        <source>Save view…</source>
        <translation>儲存檢視…</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="72"/>
        <source>Save these pens as one of your own views</source>
        <translation>將這些趨勢筆存成您自己的檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="76"/>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="79"/>
        <source>Delete the chosen view (your own views only: plant views are read-only)</source>
        <translation>刪除所選的檢視（僅限您自己的檢視：工廠檢視為唯讀）</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="58"/>
        <source>Live</source>
        <translation>即時</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="61"/>
        <source>History</source>
        <translation>歷史</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="81"/>
        <source>Window</source>
        <translation>時間窗</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="91"/>
        <location filename="../../screens/trend_toolbar.py" line="160"/>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="107"/>
        <source>From</source>
        <translation>從</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="108"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="114"/>
        <source>Show</source>
        <translation>顯示</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="119"/>
        <source>Presets…</source>
        <translation>預設範圍…</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="125"/>
        <source>Back to live</source>
        <translation>回到即時</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="255"/>
        <source>{tag} is already trended</source>
        <translation>{tag} 已在趨勢圖中</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="261"/>
        <source>{tag} is not a numeric tag</source>
        <translation>{tag} 不是數值標籤</translation>
    </message>
    <message>
        <location filename="../../screens/trend_toolbar.py" line="158"/>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="359"/>
        <source>The end of the range must be after its start</source>
        <translation>範圍結束時間必須晚於開始時間</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="392"/>
        <source>Loading history…</source>
        <translation>正在載入歷史資料…</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="406"/>
        <source>History not available for: {tags}</source>
        <translation>無法取得歷史資料：{tags}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="413"/>
        <source>History: {points} points</source>
        <translation>歷史資料：{points} 點</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="432"/>
        <source>Cursor: {time}</source>
        <translation>游標：{time}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="449"/>
        <source>Exported {rows} rows to {path}</source>
        <translation>已匯出 {rows} 列至 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="458"/>
        <source>Saved {path}</source>
        <translation>已儲存 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="460"/>
        <source>Cannot write {path}</source>
        <translation>無法寫入 {path}</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="470"/>
        <source>Export CSV</source>
        <translation>匯出 CSV</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="472"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="480"/>
        <source>Save image</source>
        <translation>儲存圖檔</translation>
    </message>
    <message>
        <location filename="../../screens/trends.py" line="482"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 圖檔 (*.png)</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="119"/>
        <source>&apos;{name}&apos; is a plant view: save your copy under another name</source>
        <translation>「{name}」是工廠檢視：請以其他名稱儲存您的副本</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="132"/>
        <source>View &apos;{name}&apos; saved</source>
        <translation>已儲存檢視「{name}」</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="140"/>
        <source>&apos;{name}&apos; is a plant view: it can only be changed in the plant config</source>
        <translation>「{name}」是工廠檢視：只能在工廠設定中修改</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="152"/>
        <source>View &apos;{name}&apos; deleted</source>
        <translation>已刪除檢視「{name}」</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="188"/>
        <source>No trend view named &apos;{name}&apos;</source>
        <translation>沒有名為「{name}」的趨勢檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="205"/>
        <source>Open a view…</source>
        <translation>開啟檢視…</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="207"/>
        <source>Plant views</source>
        <translation>工廠檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="215"/>
        <source>My views</source>
        <translation>我的檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="276"/>
        <source>Save view</source>
        <translation>儲存檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="277"/>
        <source>Name of the view:</source>
        <translation>檢視名稱：</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="289"/>
        <source>Delete view</source>
        <translation>刪除檢視</translation>
    </message>
    <message>
        <location filename="../../screens/trend_view_bar.py" line="290"/>
        <source>Delete your view &apos;{name}&apos;?</source>
        <translation>要刪除您的檢視「{name}」嗎？</translation>
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
