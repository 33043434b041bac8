"""Record use cases: the generic RecordService, links, attachments, conflicts, workflows and masking."""
