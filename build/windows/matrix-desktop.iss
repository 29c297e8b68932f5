; Matrix Desktop: a per-user Windows installer (Inno Setup 6), no administrator rights.
;
; Installs the PyInstaller bundle (build\dist\matrix-desktop) into
; %LOCALAPPDATA%\Programs\Matrix Desktop, adds a Start-menu entry, an uninstaller (Settings >
; Apps, per user) and, optionally, "Open with Matrix Desktop" for exchange files. Everything
; it writes is in the user's own profile and HKEY_CURRENT_USER, as Anki and VS Code's user
; installer do. The user's data (%APPDATA%\matrix-desktop) is never touched, not even by the
; uninstaller.
;
; Build (from the repository folder, after the bundle):
;   iscc /DAppVersion=1.2.3 build\windows\matrix-desktop.iss
; Writes build\dist\matrix-desktop-1.2.3-windows-setup.exe. Silent install for testing or
; deployment tools: matrix-desktop-1.2.3-windows-setup.exe /VERYSILENT /SUPPRESSMSGBOXES

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\matrix-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "Matrix Desktop"
#define AppExe "matrix-desktop.exe"
#define ProgId "MatrixDesktop.Exchange"

[Setup]
; A fixed AppId: upgrades replace the installed version instead of adding another.
AppId={{5C0E4E4B-7C3D-4B52-9C0B-2F1D6E7A8B91}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Matrix Desktop
; Per user, no UAC prompt: never asks for administrator rights, never offers to.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\matrix-desktop.ico
OutputDir={#OutputDir}
OutputBaseFilename=matrix-desktop-{#AppVersion}-windows-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running copy (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
ChangesAssociations=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "openwith"; Description: "Offer Matrix Desktop in ""Open with"" for exchange files (.mdx.json)"; GroupDescription: "Files:"

[InstallDelete]
; An upgrade starts from a clean program folder: no module of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Maturity-matrix self-assessment"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Per-user file association (HKEY_CURRENT_USER\Software\Classes). Windows picks a program by
; a file's last extension only, which for x.mdx.json is .json: so Matrix Desktop is offered
; in "Open with" for .json files (the app imports exchange files and says plainly when a
; file is not one) without taking .json over from the user's editor.
; The .mdx.json key names the file type for programs that look up the full name; Explorer
; itself goes by .json.
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Matrix Desktop exchange file"; Flags: uninsdeletekey; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\.mdx.json"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""; Tasks: openwith

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent
