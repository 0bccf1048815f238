<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
    <context>
        <name>Audit</name>
        <message>
            <location filename="../../screens/audit.py" line="70" />
            <source>Last hour</source>
            <translation>最近 1 小時</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="71" />
            <source>Last 8 hours</source>
            <translation>最近 8 小時</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="72" />
            <source>Last 24 hours</source>
            <translation>最近 24 小時</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="73" />
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="74" />
            <source>Custom range</source>
            <translation>自訂區間</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="174" />
            <source>Refresh</source>
            <translation>重新整理</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="177" />
            <source>Export CSV…</source>
            <translation>匯出 CSV…</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="186" />
            <source>All results</source>
            <translation>所有結果</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="191" />
            <source>Target contains…</source>
            <translation>對象包含…</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="217" />
            <source>Time:</source>
            <translation>時間：</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="228" />
            <source>User:</source>
            <translation>使用者：</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="229" />
            <source>Action:</source>
            <translation>動作：</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="230" />
            <source>Result:</source>
            <translation>結果：</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="262" />
            <source>This station has no audit trail (no database).</source>
            <translation>此工作站沒有稽核紀錄（沒有資料庫）。</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="269" />
            <source>Not permitted: the audit trail is for supervisors and above. Log in as one.</source>
            <translation>沒有權限：稽核紀錄僅供主管以上人員檢視。請以主管身分登入。</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="309" />
            <source>Loading…</source>
            <translation>載入中…</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="311" />
            <source>Chain: checking…</source>
            <translation>紀錄鏈：檢查中…</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="317" />
            <source>Could not load the audit trail: {error}</source>
            <translation>無法載入稽核紀錄：{error}</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="328" />
            <source>Chain: not checked ({error})</source>
            <translation>紀錄鏈：未檢查（{error}）</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="336" />
            <source>Chain intact ({count} records)</source>
            <translation>紀錄鏈完整（{count} 筆）</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="342" />
            <source>Chain BROKEN at record {id} ({time}): {reason}</source>
            <translation>紀錄鏈於第 {id} 筆損壞（{time}）：{reason}</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="352" />
            <source>All users</source>
            <translation>所有使用者</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="353" />
            <source>All actions</source>
            <translation>所有動作</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="377" />
            <source>{shown} shown of the newest {loaded} of {total} records</source>
            <translation>顯示 {shown} 筆（共 {total} 筆中最新的 {loaded} 筆）</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="381" />
            <source>{shown} of {total} records</source>
            <translation>{shown} / {total} 筆</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="398" />
            <source>Export audit trail</source>
            <translation>匯出稽核紀錄</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="400" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 檔案 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="411" />
            <source>Exporting…</source>
            <translation>匯出中…</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="417" />
            <source>Export failed: {error}</source>
            <translation>匯出失敗：{error}</translation>
        </message>
        <message>
            <location filename="../../screens/audit.py" line="422" />
            <source>Exported {count} records</source>
            <translation>已匯出 {count} 筆</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="94" />
            <source>Time</source>
            <translation>時間</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="95" />
            <source>Station</source>
            <translation>工作站</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="96" />
            <source>User</source>
            <translation>使用者</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="97" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="98" />
            <source>Action</source>
            <translation>動作</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="99" />
            <source>Target</source>
            <translation>對象</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="100" />
            <source>Old → new</source>
            <translation>舊值 → 新值</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="101" />
            <source>Comment</source>
            <translation>備註</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="102" />
            <source>Result</source>
            <translation>結果</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="103" />
            <source>Detail</source>
            <translation>詳細</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="104" />
            <source>Approver</source>
            <translation>核准人</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="110" />
            <source>ok</source>
            <translation>成功</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="111" />
            <source>denied</source>
            <translation>拒絕</translation>
        </message>
        <message>
            <location filename="../../screens/audit_model.py" line="112" />
            <source>failed</source>
            <translation>失敗</translation>
        </message>
    </context>
    <context>
        <name>Login</name>
        <message>
            <location filename="../../hmi/app/login.py" line="51" />
            <source>Wrong user name or password. User '{user}' is now locked until {time}.</source>
            <translation>使用者名稱或密碼錯誤。使用者「{user}」已被鎖定至 {time}。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="54" />
            <source>Wrong user name or password.</source>
            <translation>使用者名稱或密碼錯誤。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="55" />
            <source>User '{user}' is locked until about {time} after too many failed logins; an admin can unlock it.</source>
            <translation>使用者「{user}」因登入失敗次數過多，已被鎖定至約 {time}；系統管理員可解除鎖定。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="60" />
            <source>User '{user}' is disabled.</source>
            <translation>使用者「{user}」已停用。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="61" />
            <source>A password needs at least 8 characters.</source>
            <translation>密碼至少需要 8 個字元。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="86" />
            <source>Failed: {error}</source>
            <translation>失敗：{error}</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="105" />
            <source>User name:</source>
            <translation>使用者名稱：</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="106" />
            <source>Password:</source>
            <translation>密碼：</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="122" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="155" />
            <source>Switch user</source>
            <translation>切換使用者</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="156" />
            <source>Switch</source>
            <translation>切換</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="158" />
            <source>Logged in: {user}. Log in as another user:</source>
            <translation>目前登入：{user}。以其他使用者登入：</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="163" />
            <location filename="../../hmi/app/login.py" line="164" />
            <source>Log in</source>
            <translation>登入</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="175" />
            <location filename="../../hmi/app/login.py" line="222" />
            <source>Enter a user name.</source>
            <translation>請輸入使用者名稱。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="197" />
            <source>Create the administrator</source>
            <translation>建立系統管理員</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="198" />
            <source>This station has no users yet. Create the administrator, who can then add the other users. The password needs at least 8 characters.</source>
            <translation>此工作站尚無使用者。請建立系統管理員，之後由其新增其他使用者。密碼至少需要 8 個字元。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="203" />
            <source>Create</source>
            <translation>建立</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="211" />
            <source>Repeat password:</source>
            <translation>再次輸入密碼：</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="225" />
            <source>The passwords differ.</source>
            <translation>兩次輸入的密碼不同。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="255" />
            <source>Second signature</source>
            <translation>第二人簽核</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="256" />
            <source>Writing {tag} = {value} is a critical change: a second person ({role} or above) must approve it with their name and password.</source>
            <translation>寫入 {tag} = {value} 是關鍵變更：須由另一人（{role}以上）以其帳號與密碼核准。</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="261" />
            <source>Approve</source>
            <translation>核准</translation>
        </message>
        <message>
            <location filename="../../hmi/app/login.py" line="269" />
            <source>Enter the approver's user name.</source>
            <translation>請輸入核准人的使用者名稱。</translation>
        </message>
    </context>
    <context>
        <name>Session</name>
        <message>
            <location filename="../../hmi/app/session_ui.py" line="55" />
            <source>Viewer</source>
            <translation>檢視者</translation>
        </message>
        <message>
            <location filename="../../hmi/app/session_ui.py" line="56" />
            <source>Operator</source>
            <translation>操作員</translation>
        </message>
        <message>
            <location filename="../../hmi/app/session_ui.py" line="57" />
            <source>Supervisor</source>
            <translation>主管</translation>
        </message>
        <message>
            <location filename="../../hmi/app/session_ui.py" line="58" />
            <source>Engineer</source>
            <translation>工程師</translation>
        </message>
        <message>
            <location filename="../../hmi/app/session_ui.py" line="59" />
            <source>Administrator</source>
            <translation>系統管理員</translation>
        </message>
    </context>
    <context>
        <name>Diagnostics</name>
        <message>
            <source>The current user may not write this tag: log in as someone who may.</source>
            <translation>目前使用者不可寫入此標籤：請以有權限的使用者登入。</translation>
        </message>
    </context>
</TS>