param($ModulePath,$SandboxPath)
