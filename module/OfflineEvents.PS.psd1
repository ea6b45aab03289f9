@{
    # The one place the version lives: build.ps1 reads it and stamps the assemblies and the package.
    ModuleVersion        = '0.1.0'
    RootModule           = 'OfflineEvents.PS.dll'
    GUID                 = 'f5fdc71a-1fb7-4409-a116-fa3ef8b50d33'
    Author               = 'OfflineEvents.PS contributors'
    CompanyName          = 'OfflineEvents.PS'
    Copyright            = '(c) OfflineEvents.PS contributors. MIT License.'
    Description          = 'Validate, normalize, hash, deduplicate and deliver offline conversions (in-store purchases, call-center contacts, subscriptions, leads) to TikTok offline event sets. Includes a local sandbox of the API.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('OfflineEvents.PS.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-OfflineEventApi'
        'Disconnect-OfflineEventApi'
        'Get-OfflineEventConnection'
        'New-OfflineEventSet'
        'Get-OfflineEventSet'
        'Set-OfflineEventSet'
        'Remove-OfflineEventSet'
        'ConvertTo-HashedPii'
        'Test-OfflineEventFile'
        'Send-OfflineEvent'
        'Get-OfflineEventDelivery'
        'Export-OfflineEventFile'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('TikTok', 'OfflineEvents', 'Conversions', 'Marketing', 'EventsAPI', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Offline event set management against the TikTok Business API and a local sandbox.'
        }
    }
}
