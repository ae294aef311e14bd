using System.Security.Cryptography;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>
/// Replaces the values of masked columns with HMAC-SHA256(key, value) in lowercase hex before a page is committed, so
/// the plain value never reaches the target. Keyed rather than a bare hash: identifiers such as NI numbers have few
/// enough possible values that an unkeyed hash could be reversed by trying them all.
/// </summary>
internal sealed class ColumnMasker(byte[] key)
{
    public static ColumnMasker? For(string? key) => string.IsNullOrEmpty(key) ? null : new ColumnMasker(Encoding.UTF8.GetBytes(key));

    public void Apply(RowBatch rows)
    {
        var columns = rows.Layout.Columns;
        List<int>? masked = null;
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Masked)
            {
                (masked ??= []).Add(i);
            }
        }

        if (masked is null)
        {
            return;
        }

        foreach (var row in rows.Rows)
        {
            foreach (var i in masked)
            {
                if (row[i] is string value)
                {
                    row[i] = Hash(value);
                }
            }
        }
    }

    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));
}
