using System.Diagnostics;
using Npgsql;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// sql/postgresql/roles.sql on a real server: the worker replicates with nothing but the writer role, analysts read
/// with nothing but the reader role, and neither can do more.
/// </summary>
public sealed class LeastPrivilegeTests
{
    [Fact]
    public async Task The_writer_role_is_enough_to_replicate_and_the_reader_role_can_only_read()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var admin = await cluster.CreateDatabaseAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (worker, analyst) = ($"sync_{suffix}", $"analyst_{suffix}");
        await RunPsqlAsync(cluster, admin, FindScript("sql/postgresql/roles.sql"));
        await ExecuteAsync(admin, $"""
            CREATE ROLE {worker} LOGIN IN ROLE reportingsync_writer;
            ALTER ROLE {worker} SET role = 'reportingsync_writer';
            CREATE ROLE {analyst} LOGIN IN ROLE reportingsync_reader;
            CREATE SCHEMA elsewhere;
            """);

        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 300 },
        });
        var asWorker = new NpgsqlConnectionStringBuilder(admin) { Username = worker }.ConnectionString;
        await using (var sync = InProcessWorker.For(new Uri(simulator.BaseUrl), "PostgreSql", asWorker, ["contact"]))
        {
            (await sync.RunOnceAsync()).Should().OnlyContain(o => o.Succeeded);
            await ReplicaComparer.AssertEqualAsync(simulator.Store, sync.Source, sync.Target, ["contact"]);
        }

        (await ScalarAsync(admin, "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'contact'")).Should().Be("reportingsync_writer");
        var refusedToWorker = async () => await ExecuteAsync(asWorker, "CREATE TABLE elsewhere.sneaky (x int)");
        (await refusedToWorker.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);

        var asAnalyst = new NpgsqlConnectionStringBuilder(admin) { Username = analyst }.ConnectionString;
        (await ScalarAsync(asAnalyst, "SELECT count(*) FROM public.contact")).Should().Be(300L);
        (await ScalarAsync(asAnalyst, "SELECT \"Status\" FROM reportingsync.\"EntityState\" WHERE \"EntityName\" = 'contact'")).Should().Be("Streaming");
        foreach (var write in new[]
        {
            "DELETE FROM public.contact",
            "UPDATE reportingsync.\"EntityState\" SET \"Status\" = 'Failed'",
            "CREATE TABLE public.mine (x int)",
        })
        {
            var refused = async () => await ExecuteAsync(asAnalyst, write);
            (await refused.Should().ThrowAsync<PostgresException>(write)).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, write);
        }
    }

    private static string FindScript(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    private static async Task RunPsqlAsync(PostgresCluster cluster, string connectionString, string script)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(Path.Combine(cluster.BinDirectory, "psql"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-X", "-q", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-v", "data_schema=public", "-f", script })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, stderr);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
