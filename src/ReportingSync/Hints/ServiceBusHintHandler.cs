using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Hints;

/// <summary>
/// What the processor does with one peek-locked Dataverse message. The table comes from the EntityLogicalName message
/// property Dataverse sets, else from the JSON body's <c>PrimaryEntityName</c>. A message that names a table is
/// completed once its hint is queued, configured table or not (the sink ignores the others). A message that names none
/// (a body in another format without the property, or garbage) is abandoned for another try, and dead-lettered with a
/// reason once it has been delivered <see cref="ServiceBusHintOptions.MaxDeliveryCount"/> times, so a poison message
/// neither loops forever nor disappears unseen.
/// </summary>
internal sealed class ServiceBusHintHandler(HintSink sink, int maxDeliveryCount, ILogger log)
{
    /// <summary>The dead-letter reason on poison messages, for people reading the dead-letter queue.</summary>
    public const string DeadLetterReason = "NoTableNamed";

    public const string DeadLetterDescription =
        "ReportingSync could not find the table in this message: no EntityLogicalName property and no PrimaryEntityName in a JSON body.";

    public async Task HandleAsync(ProcessMessageEventArgs args)
    {
        var message = args.Message;
        var entity = EntityOf(message);
        if (entity is not null)
        {
            sink.Offer(entity, "servicebus");

            // The hint is queued: the message has done its job. Were the completion lost, the message comes again and
            // costs one empty delta read.
            await args.CompleteMessageAsync(message, args.CancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.DeliveryCount >= maxDeliveryCount)
        {
            HintLog.DeadLettered(log, message.MessageId, message.DeliveryCount);
            await args.DeadLetterMessageAsync(message, DeadLetterReason, DeadLetterDescription, args.CancellationToken).ConfigureAwait(false);
            return;
        }

        HintLog.NoEntity(log, message.MessageId, message.DeliveryCount, maxDeliveryCount);
        await args.AbandonMessageAsync(message, cancellationToken: args.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table a Dataverse message is about, or null when it names none.</summary>
    public static string? EntityOf(ServiceBusReceivedMessage message)
    {
        if (message.ApplicationProperties.TryGetValue(DataverseMessage.EntityProperty, out var property)
            && DataverseMessage.Clean(property as string) is { } fromProperty)
        {
            return fromProperty;
        }

        return message.Body is { } body ? DataverseMessage.EntityFromBody(body.ToMemory().Span) : null;
    }
}
