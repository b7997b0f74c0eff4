# Which registry keys each machine receives.
let
  sharedCore = [
    "openrouter"
    "anthropic"
  ];
in
{
  lea = [
    "cloudflare-account-id"
    "deepsek" # deliberate typo: evaluation would throw "Unknown secret key in envMatrix"
    "gmail"
  ];
  emily = sharedCore ++ [
    "deepseek"
    "gmail"
  ];
}
