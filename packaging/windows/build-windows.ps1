# Builds posapp's Windows installer on a Windows machine: a build environment in .venv-bundle,
# the icon, the PyInstaller bundle in dist\posapp, then dist\posapp-VERSION-setup.exe with Inno
# Setup 6 (ISCC.exe on PATH or in its default folder). Run from any folder:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1
# Needs Python 3.11 or newer (py launcher) and Inno Setup 6. Not run on posapp's Linux CI.
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Venv = Join-Path $Root ".venv-bundle"
Set-Location $Root

if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    py -3 -m venv $Venv
}
$Python = Join-Path $Venv "Scripts\python.exe"
& $Python -m pip install --quiet --upgrade pip
& $Python -m pip install --quiet -e ".[bundle]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Python packaging\make_icon.py packaging\windows\posapp.ico
if ($LASTEXITCODE -ne 0) { throw "icon failed" }

& (Join-Path $Venv "Scripts\pyinstaller.exe") --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\posapp.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$Version = & $Python -c "import posapp; print(posapp.__version__)"
$Iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $Iscc "/DAppVersion=$Version" "/DSourceDir=$Root\dist\posapp" "/O$Root\dist" packaging\windows\posapp.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: $Root\dist\posapp-$Version-setup.exe"
