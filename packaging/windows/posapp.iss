; Inno Setup 6 script for posapp's Windows installer; build-windows.ps1 passes AppVersion and
; SourceDir (the PyInstaller folder dist\posapp). Installs per user by default (no admin rights
; needed at a shop's till), with Start-menu and optional desktop shortcuts. Data stays in the
; user's data folder (%LOCALAPPDATA%\posapp) and is kept on uninstall.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\posapp"
#endif

[Setup]
AppId={{6F1B2E64-5B0C-4C2E-9A53-0D3C1F6B8A41}
AppName=posapp
AppVersion={#AppVersion}
AppPublisher=posapp
DefaultDirName={autopf}\posapp
DefaultGroupName=posapp
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=posapp-{#AppVersion}-setup
SetupIconFile=posapp.ico
UninstallDisplayIcon={app}\posapp.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\posapp"; Filename: "{app}\posapp.exe"
Name: "{group}\{cm:UninstallProgram,posapp}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\posapp"; Filename: "{app}\posapp.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\posapp.exe"; Description: "{cm:LaunchProgram,posapp}"; Flags: nowait postinstall skipifsilent
