# escape=`
from mcr.microsoft.com/powershell:lts-alpine-3.17
workdir C:\app
run echo one `
    two
volume /proc/sys
expose 443
