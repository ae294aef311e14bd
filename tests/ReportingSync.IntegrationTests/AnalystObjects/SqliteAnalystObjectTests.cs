using System.Data.Common;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.AnalystObjects;

/// <summary>The analyst objects on SQLite, which has no grants or comments: a view, an index, and a trigger an analyst's audit uses.</summary>
public sealed class SqliteAnalystObjectTests(ITestOutputHelper output) : AnalystObjectScenarios(output)
{
    protected override string Provider => "Sqlite";

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={Temp.File("replica.db")}");

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task CreateAnalystObjectsAsync() => await ExecuteAsync($"""
        CREATE VIEW {View} AS SELECT "Id", firstname, lastname, dfeta_trn FROM contact;
        CREATE INDEX ix_contact_lastname ON contact (lastname);
        CREATE TABLE analyst_audit (contact TEXT, firstname TEXT);
        CREATE TRIGGER trg_contact_audit AFTER UPDATE OF firstname ON contact BEGIN INSERT INTO analyst_audit VALUES (NEW."Id", NEW.firstname); END;
        """);

    protected override async Task AssertAnalystObjectsKeptAsync()
    {
        (await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_contact_lastname' AND tbl_name = 'contact';"))
            .Should().Be(1L, "the analyst's index is kept");
        (await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'trg_contact_audit' AND tbl_name = 'contact';"))
            .Should().Be(1L, "the analyst's trigger is kept");
        (await ScalarAsync($"SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = '{View}';")).Should().Be(1L);
    }
}
