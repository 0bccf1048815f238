<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
    <context>
        <name>ConnectionLight</name>
        <message>
            <location filename="../../hmi/app/header.py" line="14" />
            <source>Connected</source>
            <translation>已連線</translation>
        </message>
        <message>
            <location filename="../../hmi/app/header.py" line="15" />
            <source>Connecting…</source>
            <translation>連線中…</translation>
        </message>
        <message>
            <location filename="../../hmi/app/header.py" line="16" />
            <source>Disconnected</source>
            <translation>已斷線</translation>
        </message>
        <message>
            <location filename="../../hmi/app/header.py" line="17" />
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
    </context>
    <context>
        <name>Header</name>
        <message>
            <location filename="../../hmi/app/header.py" line="68" />
            <source>Viewer</source>
            <translation>檢視者</translation>
        </message>
        <message>
            <location filename="../../hmi/app/header.py" line="70" />
            <source>User: {user}</source>
            <translation>使用者：{user}</translation>
        </message>
        <message>
            <source>Log in…</source>
            <translation>登入…</translation>
        </message>
        <message>
            <source>Switch user…</source>
            <translation>切換使用者…</translation>
        </message>
        <message>
            <source>Log out</source>
            <translation>登出</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../hmi/app/main_window.py" line="98" />
            <source>Pro4 HMI — {plant}</source>
            <translation>Pro4 人機介面 — {plant}</translation>
        </message>
        <message>
            <location filename="../../hmi/app/main_window.py" line="59" />
            <source>{plugin} (error)</source>
            <translation>{plugin}（錯誤）</translation>
        </message>
        <message>
            <location filename="../../hmi/app/main_window.py" line="72" />
            <source>Plugin not loaded</source>
            <translation>外掛未載入</translation>
        </message>
        <message>
            <location filename="../../hmi/app/main_window.py" line="172" />
            <source>The screen '{screen}' could not be built: {error}</source>
            <translation>無法建立畫面「{screen}」：{error}</translation>
        </message>
        <message>
            <location filename="../../hmi/app/main_window.py" line="176" />
            <source>Screen not available</source>
            <translation>畫面無法使用</translation>
        </message>
        <message>
            <location filename="../../hmi/app/main_window.py" line="193" />
            <source>No active alarms</source>
            <translation>無作用中警報</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <source>System</source>
            <translation>系統</translation>
        </message>
    </context>
</TS>