using Npgsql;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>PostgreSQL only: analysts' objects under least privilege, and what decorates the label view.</summary>
public sealed partial class PostgreSqlTargetTests
{
    [Fact]
    public async Task A_view_owned_by_a_role_the_writer_cannot_act_as_blocks_a_type_change_until_the_writer_may_and_is_then_kept_with_its_owner()
    {
        // The worker logs in as a writer that owns the entity tables (the state tables exist already, made by the
        // fixture as superuser); an analyst role owns a view on one of the entity tables.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (writerRole, analyst) = ($"writer_{suffix}", $"analyst_{suffix}");
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await ExecuteAsync($"""
            CREATE ROLE {writerRole} LOGIN; CREATE ROLE {analyst};
            GRANT CREATE ON DATABASE "{database}" TO {writerRole};
            GRANT USAGE, CREATE ON SCHEMA public TO {writerRole}, {analyst};
            GRANT USAGE ON SCHEMA reportingsync TO {writerRole};
            GRANT ALL ON ALL TABLES IN SCHEMA reportingsync, public TO {writerRole};
            GRANT ALL ON ALL SEQUENCES IN SCHEMA reportingsync, public TO {writerRole};
            """);
        await using var writer = Create(new NpgsqlConnectionStringBuilder(_connectionString) { Username = writerRole }.ConnectionString, Time);
        await writer.InitializeAsync(Ct);
        var (before, after) = (TrnLayout(ColumnStorageType.String), TrnLayout(ColumnStorageType.Int32));
        await writer.EnsureTableAsync(before, Ct);
        var id = Guid.NewGuid();
        var state = await writer.CreateStateAsync(new EntityState { EntityName = "contact", UpdatedUtc = Time.GetUtcNow().UtcDateTime }, Ct);
        var seeded = new StateChange(state, state with { Status = EntityStatus.Streaming, Cursor = SyncCursor.Delta("https://x/delta/1") });
        await writer.CommitPageAsync(new PageCommit { Layout = before, Upserts = TestRows.Batch(before, [TrnRow(before, id, 1, "1234567")]), Change = seeded }, Ct);
        await ExecuteAsync($"""
            GRANT SELECT ON contact TO {analyst};
            SET ROLE {analyst};
            CREATE VIEW analyst_trns AS SELECT "Id", dfeta_trn FROM contact;
            RESET ROLE;
            """);

        var reseeding = seeded.Stored with { Status = EntityStatus.Reseeding };
        var shadowed = await writer.CreateShadowTableAsync(after, new StateChange(seeded.Stored, reseeding), Ct);
        var filled = new StateChange(shadowed, shadowed with { ShadowCursor = SyncCursor.Delta("https://x/delta/shadow") });
        await writer.CommitPageAsync(
            new PageCommit { Layout = after, TableName = after.ShadowTableName, Upserts = TestRows.Batch(after, [TrnRow(after, id, 2, 1234567)]), Mode = WriteMode.BulkLoad, Change = filled },
            Ct);
        var swap = new StateChange(filled.Stored, filled.Stored with { Status = EntityStatus.Streaming, Cursor = filled.Stored.ShadowCursor, ShadowCursor = null });

        var refused = () => writer.SwapShadowTableAsync(after, swap, Ct);

        var blocker = (await refused.Should().ThrowAsync<DependentObjectsException>()).Which.Objects.Should().ContainSingle().Subject;
        blocker.Name.Should().Be("view public.analyst_trns");
        blocker.Reason.Should().Contain($"owned by {analyst}").And.Contain(writerRole);
        blocker.Remedy.Should().StartWith($"Grant {analyst} to {writerRole}");
        (await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'contact' AND column_name = 'dfeta_trn';")).Should().Be("character varying");

        // What the remedy says; the swap that was refused then goes ahead and keeps the view as the analyst's.
        await ExecuteAsync($"GRANT {analyst} TO {writerRole};");
        await writer.SwapShadowTableAsync(after, swap, Ct);

        (await ScalarAsync("SELECT viewowner FROM pg_views WHERE schemaname = 'public' AND viewname = 'analyst_trns';")).Should().Be(analyst);
        (await ScalarAsync("SELECT dfeta_trn FROM analyst_trns;")).Should().Be(1234567);
    }

    [Fact]
    public async Task The_label_view_keeps_its_grants_and_comment_when_it_is_made_again()
    {
        var (layout, schema) = await DqtInductionAsync();
        await Target.SyncMetadataAsync([(schema, layout)], Ct);
        var reader = "label_reader_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync($"""
            CREATE ROLE {reader};
            GRANT SELECT ON dfeta_induction_labelled TO {reader};
            COMMENT ON VIEW dfeta_induction_labelled IS 'Inductions with their labels, for the Power BI model';
            """);

        // Every metadata read makes the label view again (labels may have changed).
        await Target.SyncMetadataAsync([(schema, layout)], Ct);

        (await ScalarAsync($"SELECT has_table_privilege('{reader}', 'public.dfeta_induction_labelled', 'SELECT');")).Should().Be(true);
        (await ScalarAsync("SELECT obj_description('public.dfeta_induction_labelled'::regclass, 'pg_class');"))
            .Should().Be("Inductions with their labels, for the Power BI model");
    }
}
