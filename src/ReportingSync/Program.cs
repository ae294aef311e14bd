using ReportingSync.Cli;

return await ReportingSyncCli.InvokeAsync(args);
