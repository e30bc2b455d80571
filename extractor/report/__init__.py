"""Report writers: JSON (the contract); HTML and XLSX come with the judging issue."""
