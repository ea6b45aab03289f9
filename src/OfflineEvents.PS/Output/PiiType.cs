namespace OfflineEvents.PS.Output
{
    /// <summary>
    /// The kinds of PII ConvertTo-HashedPii -Type takes. A copy of OfflineEvents.Core.Pii.PiiField on purpose:
    /// PowerShell reflects over cmdlet parameter types during Import-Module, before the module's resolver can
    /// load OfflineEvents.Core from dependencies/. Parameter types, and value types held by public classes here
    /// (their layout is computed when PowerShell lists the exported types), must live in this assembly.
    /// </summary>
    public enum PiiType
    {
        Email = OfflineEvents.Core.Pii.PiiField.Email,
        Phone = OfflineEvents.Core.Pii.PiiField.Phone,
        ExternalId = OfflineEvents.Core.Pii.PiiField.ExternalId,
    }
}
