using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace ReportingSync.Hints;

/// <summary>
/// Shared access signature tokens for Service Bus, as Microsoft documents them ("Service Bus access control with Shared
/// Access Signatures", sample "Generate a SAS token" in C#): the string to sign is the URL-encoded resource URI, a line
/// feed and the expiry in seconds since 1970-01-01 UTC; the signature is HMAC-SHA256 keyed with the UTF-8 bytes of the
/// key, Base64 then URL-encoded; the token is <c>SharedAccessSignature sr={uri}&amp;sig={sig}&amp;se={expiry}&amp;skn={keyName}</c>.
/// </summary>
internal static class ServiceBusSasToken
{
    public static string Create(string resourceUri, string keyName, string key, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        // HttpUtility (lower-case escapes), like Microsoft's sample; the service checks the signature over sr as sent.
        var encodedUri = HttpUtility.UrlEncode(resourceUri);
        var signature = Convert.ToBase64String(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(encodedUri + "\n" + expiry)));
        return string.Create(CultureInfo.InvariantCulture,
            $"SharedAccessSignature sr={encodedUri}&sig={HttpUtility.UrlEncode(signature)}&se={expiry}&skn={keyName}");
    }
}
