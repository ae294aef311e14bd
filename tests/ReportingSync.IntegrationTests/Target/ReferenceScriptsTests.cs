using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// The reference DDL under <c>sql/</c> is exactly what the code generates (the same text <c>schema script</c> prints and
/// the targets run), so DBAs never read a stale script. Regenerate after an intended change with
/// <c>REPORTINGSYNC_UPDATE_GOLDEN=1 dotnet test tests/ReportingSync.IntegrationTests --filter ReferenceScripts</c>.
/// </summary>
public sealed class ReferenceScriptsTests
{
    private const string Root = "../../../sql/";

    [Theory]
    [InlineData(Sql.TargetProvider.SqlServer, "sqlserver")]
    [InlineData(Sql.TargetProvider.PostgreSql, "postgresql")]
    [InlineData(Sql.TargetProvider.Sqlite, "sqlite")]
    public void State_and_metadata_scripts_are_what_the_code_generates(Sql.TargetProvider provider, string folder)
    {
        GoldenFile.Verify(Root + folder + "/state.sql", SchemaScript.Generate(provider, new TargetOptions(), [], SchemaScriptParts.State));
        GoldenFile.Verify(Root + folder + "/metadata.sql", SchemaScript.Generate(provider, new TargetOptions(), [], SchemaScriptParts.Metadata));
    }

    [Fact]
    public async Task The_DQT_tables_in_Data_Export_Service_shape_are_what_the_code_generates()
    {
        var options = new LayoutOptions { Compatibility = SchemaCompatibility.Des };
        var entities = (await DqtModel.AllAsync()).Select(s => (s, TableLayout.Create(s, options: options))).ToList();

        GoldenFile.Verify(Root + "sqlserver/dqt-des-tables.sql", SchemaScript.Generate(Sql.TargetProvider.SqlServer, new TargetOptions(), entities, SchemaScriptParts.Tables));
        GoldenFile.Verify(Root + "sqlserver/dqt-des-label-views.sql", SchemaScript.Generate(Sql.TargetProvider.SqlServer, new TargetOptions(), entities, SchemaScriptParts.Views));
    }

    [Fact]
    public async Task The_PostgreSql_scripts_build_a_database_the_target_uses_as_it_is()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = await cluster.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Script("postgresql/state.sql") + Script("postgresql/metadata.sql"), connection);
            await command.ExecuteNonQueryAsync();
        }

        await AssertUsableAsync(new TargetOptions { Provider = Sql.TargetProvider.PostgreSql, ConnectionString = connectionString });
    }

    [Fact]
    public async Task The_Sqlite_scripts_build_a_database_the_target_uses_as_it_is()
    {
        using var directory = new TempDirectory();
        var connectionString = $"Data Source={directory.File("scripted.db")}";
        await using (var connection = new SqliteConnection(connectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(Script("sqlite/state.sql") + Script("sqlite/metadata.sql"), connection);
            await command.ExecuteNonQueryAsync();
        }

        await AssertUsableAsync(new TargetOptions { Provider = Sql.TargetProvider.Sqlite, ConnectionString = connectionString });
    }

    private static async Task AssertUsableAsync(TargetOptions options)
    {
        await using var target = ReportingTargetFactory.Create(options, TimeProvider.System, NullLoggerFactory.Instance);
        await target.InitializeAsync(CancellationToken.None);
        var schema = await DqtModel.SchemaAsync("dfeta_induction");
        var layout = TableLayout.Create(schema);
        await target.EnsureTableAsync(layout, CancellationToken.None);
        await target.SyncMetadataAsync([(schema, layout)], CancellationToken.None);
        var state = await target.CreateStateAsync(new EntityState { EntityName = layout.EntityName, UpdatedUtc = DateTime.UtcNow }, CancellationToken.None);
        var result = await target.CommitPageAsync(
            new PageCommit
            {
                Layout = layout,
                Upserts = TestRows.Batch(layout, [TestRows.Nulls(layout, Guid.NewGuid(), 1)]),
                Change = new StateChange(state, state with { Cursor = SyncCursor.Next("https://x/1") }),
            },
            CancellationToken.None);

        result.RowsWritten.Should().Be(1);
        (await target.LoadQuarantineAsync(layout.EntityName, CancellationToken.None)).Should().BeEmpty();
    }

    private static string Script(string name, [System.Runtime.CompilerServices.CallerFilePath] string callerFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(callerFile)!, Root, name));
}
