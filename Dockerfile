# syntax=docker/dockerfile:1
# ReportingSync worker image. Multi-stage: the SDK builds and publishes, the ASP.NET runtime runs (the worker uses
# Kestrel for health, readiness, status and metrics). Built where a Docker engine exists; none runs on the build
# machines of this repository, so a test checks this file's structure instead (HelmChartTests).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Restored and published for the image's architecture, so the worker ships ReadyToRun (ReportingSync.csproj says why).
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ReportingSync.sln ./
COPY src/ReportingSync.Core/ReportingSync.Core.csproj src/ReportingSync.Core/
COPY src/ReportingSync.Dataverse/ReportingSync.Dataverse.csproj src/ReportingSync.Dataverse/
COPY src/ReportingSync.Sql/ReportingSync.Sql.csproj src/ReportingSync.Sql/
COPY src/ReportingSync.DataverseSimulator/ReportingSync.DataverseSimulator.csproj src/ReportingSync.DataverseSimulator/
COPY src/ReportingSync/ReportingSync.csproj src/ReportingSync/
RUN dotnet restore -a $TARGETARCH -p:PublishReadyToRun=true src/ReportingSync/ReportingSync.csproj
COPY src/ src/
RUN dotnet publish src/ReportingSync/ReportingSync.csproj -c Release -a $TARGETARCH --self-contained false -p:PublishReadyToRun=true --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# ICU: SqlClient refuses globalization-invariant mode (README, SQL Server section); curl: the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libicu72 curl \
 && rm -rf /var/lib/apt/lists/*
# A fixed non-root user, matching the Helm chart's runAsUser, so file permissions agree with the pod security context.
RUN groupadd --system --gid 10001 reportingsync \
 && useradd --system --uid 10001 --gid reportingsync --no-create-home --shell /usr/sbin/nologin reportingsync
WORKDIR /app
COPY --from=build --chown=root:root /app ./
# Read-only root filesystem friendly: nothing is written under /app; .NET's temporary files go to /tmp (an emptyDir in
# Kubernetes), and no diagnostics IPC socket is created.
ENV ASPNETCORE_URLS= \
    ReportingSync__Http__Port=8080 \
    DOTNET_EnableDiagnostics=0 \
    TMPDIR=/tmp \
    Logging__Console__FormatterName=json
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "/app/reportingsync.dll"]
CMD ["run"]
