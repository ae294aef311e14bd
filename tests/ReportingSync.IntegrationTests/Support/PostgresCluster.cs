using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster for tests: initdb into a fresh temp folder, start on a free loopback port with
/// durability switched off (tests need speed, not crash safety), stop and delete on dispose. When the process runs as
/// root the server runs as the <c>postgres</c> OS user, because PostgreSQL refuses to run as root.
/// Use <see cref="GetSharedAsync"/> (one cluster per test process, stopped at exit) and give every test its own
/// database with <see cref="CreateDatabaseAsync"/>; start a private one with <see cref="StartNewAsync"/> for tests
/// that stop and start the server.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string TempPrefix = "reportingsync-pg-";
    private const string OwnerFile = "owner.pid";
    private const string ServiceUser = "postgres";

    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databaseCounter;

    private readonly Queue<Task<string>> _prefetched = new();
    private readonly string _binDirectory;
    private readonly bool _runAsServiceUser;
    private int _disposed;

    private PostgresCluster(string binDirectory, string root, bool runAsServiceUser)
    {
        _binDirectory = binDirectory;
        RootDirectory = root;
        _runAsServiceUser = runAsServiceUser;
    }

    public string RootDirectory { get; }

    /// <summary>The server's bin folder (psql, pg_ctl, ...).</summary>
    public string BinDirectory => _binDirectory;
    public string DataDirectory => Path.Combine(RootDirectory, "data");
    public string SocketDirectory => Path.Combine(RootDirectory, "socket");
    public string LogFile => Path.Combine(RootDirectory, "server.log");
    public string Host => "127.0.0.1";
    public int Port { get; private set; }
    public bool IsRunning { get; private set; }

    /// <summary>Superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = ServiceUser,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>The cluster shared by every test in this process, started on first use and stopped at process exit.</summary>
    public static Task<PostgresCluster> GetSharedAsync() => Shared.Value;

    /// <summary>A private cluster (for tests that stop/start the server); dispose it.</summary>
    public static Task<PostgresCluster> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(0, cancellationToken);

    private static async Task<PostgresCluster> StartNewAsync(int prefetchDatabases, CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        CleanStaleDirectories(bin);
        var runAsServiceUser = Environment.UserName == "root";
        var root = Path.Combine(TempRoot, TempPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var cluster = new PostgresCluster(bin, root, runAsServiceUser) { PrefetchDatabases = prefetchDatabases };
        try
        {
            Directory.CreateDirectory(cluster.SocketDirectory);
            if (runAsServiceUser)
            {
                await RunAsync("chown", ["-R", $"{ServiceUser}:", root], asServiceUser: false, cancellationToken);
            }

            await cluster.RunToolAsync(
                "initdb",
                ["-D", cluster.DataDirectory, "-U", ServiceUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
                cancellationToken);

            for (var attempt = 1; ; attempt++)
            {
                cluster.Port = FreePort();
                try
                {
                    await cluster.StartAsync(cancellationToken);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // Another process took the port between our probe and the server's bind: try another one.
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// How many databases to create ahead of demand. CREATE DATABASE takes a few hundred milliseconds one after
    /// another but runs well in parallel, so the shared cluster keeps some ready while tests run. Private clusters
    /// (which tests stop and start) create on demand.
    /// </summary>
    public int PrefetchDatabases { get; init; }

    /// <summary>A new, empty, uniquely named database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        Task<string>? ready;
        lock (_prefetched)
        {
            _prefetched.TryDequeue(out ready);
            while (_prefetched.Count < PrefetchDatabases)
            {
                _prefetched.Enqueue(Task.Run(() => CreateDatabaseNowAsync(CancellationToken.None), CancellationToken.None));
            }
        }

        if (ready is not null)
        {
            try
            {
                return await ready.WaitAsync(cancellationToken);
            }
            catch (NpgsqlException)
            {
                // Created ahead while the server was away; make one now instead.
            }
        }

        return await CreateDatabaseNowAsync(cancellationToken);
    }

    private async Task<string> CreateDatabaseNowAsync(CancellationToken cancellationToken)
    {
        var name = $"rs_test_{Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0;", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);

        // The first session in a new database builds its catalog caches (~100 ms); do that here, ahead of the test.
        await using var warm = new NpgsqlConnection(ConnectionString(name) + ";Pooling=false");
        await warm.OpenAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Starts the server (again) on the same data folder and port.</summary>
    /// <summary>Kills every session of the database but the caller's, the way a failover or an admin does.</summary>
    public async Task<long> TerminateConnectionsAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", admin);
        command.Parameters.AddWithValue("db", database!);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var options = string.Join(
            ' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={SocketDirectory}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200",

            // Nothing replicates from a test cluster; minimal WAL makes CREATE DATABASE and DDL cheaper.
            "-c wal_level=minimal",
            "-c max_wal_senders=0");
        await RunToolAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options], cancellationToken, includeLog: true);
        IsRunning = true;
    }

    /// <summary>
    /// Stops the server; <see cref="StartAsync"/> brings it back on the same data and port. By default a fast
    /// shutdown (sessions are cut, committed data is kept). <paramref name="immediate"/> is a crash: with this
    /// cluster's synchronous_commit=off, the last fraction of a second of commits may be lost, as on a real server
    /// running with asynchronous commit.
    /// </summary>
    public async Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        await RunToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"], cancellationToken);
        IsRunning = false;
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (IsRunning)
        {
            try
            {
                await StopAsync(immediate: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is removed below either way.
            }
        }

        TryDelete(RootDirectory);
    }

    /// <summary>
    /// The process-exit path: the test host gives exit handlers only moments (spawning pg_ctl, or even waiting for
    /// the postmaster to exit, did not finish), so signal the postmaster directly (SIGQUIT = immediate shutdown)
    /// and delete the folder at once.
    /// A folder left behind anyway is removed by the next run's stale-folder sweep.
    /// </summary>
    private void StopNowAndDelete()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (TryReadPostmasterPid(DataDirectory) is { } pid)
        {
            _ = Kill(pid, SigQuit);
        }

        // Deleting a few hundred MB of test databases takes longer than the host waits, so a detached shell does it
        // once the server has gone; it outlives this process.
        try
        {
            var remove = new ProcessStartInfo("sh") { UseShellExecute = false };
            foreach (var a in new[] { "-c", "sleep 1; rm -rf -- \"$0\"", RootDirectory })
            {
                remove.ArgumentList.Add(a);
            }

            Process.Start(remove)?.Dispose();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            TryDelete(RootDirectory);
        }
    }

    private static int? TryReadPostmasterPid(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private const int SigQuit = 3;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static async Task<PostgresCluster> StartSharedAsync()
    {
        var cluster = await StartNewAsync(prefetchDatabases: 4, CancellationToken.None);

        // xunit has no assembly-level teardown; the server is a separate process, so stop it when we exit.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopNowAndDelete();
        return cluster;
    }

    /// <summary>
    /// As root the server runs as postgres, which must be able to reach the folder: /tmp always is, while a TMPDIR
    /// under /root would not be.
    /// </summary>
    private static string TempRoot => Environment.UserName == "root" && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();

    /// <summary>PG_BIN, else the newest /usr/lib/postgresql/*/bin that has initdb.</summary>
    private static string FindBinaries()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(Path.Combine(fromEnvironment, "initdb"))
                ? fromEnvironment
                : throw new InvalidOperationException($"PG_BIN is '{fromEnvironment}', but it has no initdb. Point it at a PostgreSQL server bin folder, or unset it and run: apt-get install -y postgresql");
        }

        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found in /usr/lib/postgresql/*/bin (set PG_BIN to use others). " +
            "The integration tests need them: apt-get install -y postgresql");
    }

    /// <summary>Folders left by killed test runs: stop their server if it still runs, then delete them.</summary>
    private static void CleanStaleDirectories(string bin)
    {
        foreach (var dir in Directory.GetDirectories(TempRoot, TempPrefix + "*"))
        {
            var ownerFile = Path.Combine(dir, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var owner) || IsAlive(owner))
            {
                continue;
            }

            if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
            {
                var asServiceUser = Environment.UserName == "root";
                try
                {
                    RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w"], asServiceUser, CancellationToken.None)
                        .GetAwaiter().GetResult();
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            TryDelete(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task RunToolAsync(string tool, string[] arguments, CancellationToken ct, bool includeLog = false)
    {
        try
        {
            await RunAsync(Path.Combine(_binDirectory, tool), arguments, _runAsServiceUser, ct);
        }
        catch (InvalidOperationException ex) when (includeLog && File.Exists(LogFile))
        {
            throw new InvalidOperationException($"{ex.Message}\n--- server log ---\n{await File.ReadAllTextAsync(LogFile, ct)}", ex);
        }
    }

    /// <summary>Runs a tool to completion; a non-zero exit throws with everything it printed.</summary>
    private static async Task RunAsync(string file, string[] arguments, bool asServiceUser, CancellationToken ct)
    {
        var start = new ProcessStartInfo
        {
            FileName = asServiceUser ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServiceUser)
        {
            foreach (var a in new[] { "-u", ServiceUser, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();

        // pg_ctl start leaves the server holding inherited pipes open; read to end only until the tool itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var finished = await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2), ct));
        if (stdout.IsCompletedSuccessfully)
        {
            output.Append(stdout.Result);
        }

        if (stderr.IsCompletedSuccessfully)
        {
            output.Append(stderr.Result);
        }

        _ = finished;
        if (process.ExitCode != 0)
        {
            var command = string.Join(' ', start.ArgumentList.Prepend(start.FileName));
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{output}");
        }
    }
}
