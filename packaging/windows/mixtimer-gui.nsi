; MixTimer GUI for Windows: installer script (NSIS 3, Unicode; the file is UTF-8 with a BOM).
;
; Built by packaging/build_installer.py, which passes the version and the paths:
;   makensis /DVERSION=0.1.0 /DVERSION_QUAD=0.1.0.0 /DBUNDLE=dist\mixtimer-gui
;            /DICON=resources\icons\app.ico /DLICENSE_FILE=LICENSE
;            /DOUTFILE=dist\mixtimer-gui-0.1.0-windows.exe packaging\windows\mixtimer-gui.nsi
;
; Per user, without administrator rights (plant workstations rarely grant them): the program
; goes to %LOCALAPPDATA%\Programs\MixTimer GUI, its entries to HKEY_CURRENT_USER. Start at
; login writes the same Run value the app's Settings -> 开机自动启动 reads and writes, so either
; side can undo the other. Uninstalling keeps the user's data (database, backups, photos,
; logs, settings) unless the user ticks "Also delete my data".

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!macro REQUIRE NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: build with packaging/build_installer.py"
  !endif
!macroend
!insertmacro REQUIRE VERSION
!insertmacro REQUIRE VERSION_QUAD
!insertmacro REQUIRE BUNDLE
!insertmacro REQUIRE ICON
!insertmacro REQUIRE LICENSE_FILE
!insertmacro REQUIRE OUTFILE

!define APP_ID "io.github.mixtimer.MixTimerGUI"
!define APP_NAME "MixTimer GUI"
!define APP_EXE "mixtimer-gui.exe"
!define PUBLISHER "The MixTimer GUI authors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define APPROVED_KEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
; Where Windows looks up the name and icon of notifications from an app without a package.
!define AUMID_KEY "Software\Classes\AppUserModelId\${APP_ID}"
; The app's data and settings (platformdirs' user data folder; QSettings' registry key).
!define DATA_DIR "$LOCALAPPDATA\mixtimer-gui"
!define SETTINGS_KEY "Software\mixtimer\mixtimer-gui"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"

!include MUI2.nsh
!include LogicLib.nsh
!include Sections.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_UNCOMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${LICENSE_FILE}"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the one used when Windows' own is neither.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License"

; -- strings ----------------------------------------------------------------------------------

LangString SEC_APP ${LANG_SIMPCHINESE} "MixTimer GUI 与开始菜单项"
LangString SEC_APP ${LANG_ENGLISH} "MixTimer GUI and its Start-menu entry"
LangString DESC_APP ${LANG_SIMPCHINESE} "程序本身（窗口 mixtimer-gui 与命令行 mixtimer），以及开始菜单中的快捷方式。"
LangString DESC_APP ${LANG_ENGLISH} "The program (the window mixtimer-gui and the command line mixtimer) and its Start-menu shortcut."
LangString SEC_DESKTOP ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SEC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString DESC_DESKTOP ${LANG_SIMPCHINESE} "在桌面上放一个 MixTimer GUI 的快捷方式。"
LangString DESC_DESKTOP ${LANG_ENGLISH} "Put a MixTimer GUI shortcut on the desktop."
LangString SEC_AUTOSTART ${LANG_SIMPCHINESE} "开机自动启动"
LangString SEC_AUTOSTART ${LANG_ENGLISH} "Start at login"
LangString DESC_AUTOSTART ${LANG_SIMPCHINESE} "登录 Windows 后在托盘中启动，到期提醒才不会漏掉。之后可在“设置”中更改。"
LangString DESC_AUTOSTART ${LANG_ENGLISH} "Start in the tray when you log in to Windows, so no reminder is missed. Settings can change this later."
LangString SEC_UN_APP ${LANG_SIMPCHINESE} "程序文件与快捷方式"
LangString SEC_UN_APP ${LANG_ENGLISH} "Program files and shortcuts"
LangString SEC_UN_DATA ${LANG_SIMPCHINESE} "同时删除我的数据（数据库、备份、照片、日志与设置）"
LangString SEC_UN_DATA ${LANG_ENGLISH} "Also delete my data (database, backups, photos, logs and settings)"
LangString MSG_RUNNING ${LANG_SIMPCHINESE} "MixTimer GUI 正在运行。请先退出它（托盘图标 → 退出），然后点击“重试”。"
LangString MSG_RUNNING ${LANG_ENGLISH} "MixTimer GUI is running. Quit it first (tray icon → Quit), then click Retry."
LangString MSG_DATA_KEPT ${LANG_SIMPCHINESE} "您的数据保留在 ${DATA_DIR}，重新安装后可以继续使用。"
LangString MSG_DATA_KEPT ${LANG_ENGLISH} "Your data stays in ${DATA_DIR}; a later installation finds it again."

; -- a running copy holds its files open ------------------------------------------------------

!macro DEFINE_CHECK_NOT_RUNNING PREFIX
Function ${PREFIX}CheckNotRunning
  ${IfNot} ${FileExists} "$INSTDIR\${APP_EXE}"
    Return
  ${EndIf}
  ${Do}
    ClearErrors
    ; A running program's file cannot be opened for writing.
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${IfNot} ${Errors}
      FileClose $0
      Return
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(MSG_RUNNING)" /SD IDCANCEL IDRETRY +2
    Abort
  ${Loop}
FunctionEnd
!macroend
!insertmacro DEFINE_CHECK_NOT_RUNNING ""
!insertmacro DEFINE_CHECK_NOT_RUNNING "un."

; -- install ----------------------------------------------------------------------------------

Section "!$(SEC_APP)" SecApp
  SectionIn RO
  Call CheckNotRunning
  SetOutPath "$INSTDIR"
  ; An update replaces the libraries whole: files of an older version must not linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  File "/oname=mixtimer-gui.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  WriteRegStr HKCU "${AUMID_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${AUMID_KEY}" "IconUri" "$INSTDIR\mixtimer-gui.ico"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  SectionGetSize ${SecApp} $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section /o "$(SEC_DESKTOP)" SecDesktop
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section "$(SEC_AUTOSTART)" SecAutostart
  WriteRegStr HKCU "${RUN_KEY}" "${APP_ID}" '"$INSTDIR\${APP_EXE}" --minimized'
  ; A "switched off" left by Task Manager would keep the new entry from running.
  DeleteRegValue HKCU "${APPROVED_KEY}" "${APP_ID}"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(DESC_APP)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(DESC_DESKTOP)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(DESC_AUTOSTART)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; -- uninstall --------------------------------------------------------------------------------

Section "!un.$(SEC_UN_APP)" SecUnApp
  SectionIn RO
  Call un.CheckNotRunning
  ; Only what the installer put there: the folder may hold files of the user's own.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\mixtimer-gui.exe"
  Delete "$INSTDIR\mixtimer.exe"
  Delete "$INSTDIR\mixtimer-gui.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP_ID}"
  DeleteRegValue HKCU "${APPROVED_KEY}" "${APP_ID}"
  DeleteRegKey HKCU "${AUMID_KEY}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

Section /o "un.$(SEC_UN_DATA)" SecUnData
  RMDir /r "${DATA_DIR}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
  DeleteRegKey /ifempty HKCU "Software\mixtimer"
SectionEnd

Function un.onUninstSuccess
  ${IfNot} ${SectionIsSelected} ${SecUnData}
    MessageBox MB_OK|MB_ICONINFORMATION "$(MSG_DATA_KEPT)" /SD IDOK
  ${EndIf}
FunctionEnd
