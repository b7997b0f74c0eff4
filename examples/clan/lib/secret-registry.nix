# The source of truth for every secret and setting the machines may receive.
# Import it without pkgs (`import ./secret-registry.nix { }`) from pure consumers.
{ pkgs ? null }:
let
  mkPromptedSecret =
    {
      generator,
      envVar ? null,
      fileAttr ? "key",
      promptAttr ? "value",
      description ? generator,
      secret ? true,
      domain ? "misc",
      kind ? "api-key",
    }:
    {
      inherit generator envVar fileAttr secret domain kind;
      files.${fileAttr} = { inherit secret; };
      prompts.${promptAttr} = {
        inherit description;
        type = if secret then "hidden" else "line";
      };
      script = ''cat "$prompts/${promptAttr}" > "$out/${fileAttr}"'';
      share = false;
    };
in
{
  openrouter = mkPromptedSecret {
    generator = "openrouter-api-key";
    envVar = "OPENROUTER_API_KEY";
    description = "OpenRouter API key";
    domain = "ai";
  };
  anthropic = mkPromptedSecret {
    generator = "anthropic-api-key";
    envVar = "ANTHROPIC_API_KEY";
    domain = "ai";
  };
  deepseek = mkPromptedSecret {
    generator = "deepseek-api-key";
    envVar = "DEEPSEEK_API_KEY";
    domain = "ai";
  };
  gmail = mkPromptedSecret {
    generator = "gmail-app-password";
    fileAttr = "password";
    domain = "mail";
    kind = "password";
  };
  cloudflare-account-id = mkPromptedSecret {
    generator = "cloudflare-account-id";
    envVar = "CLOUDFLARE_ACCOUNT_ID";
    fileAttr = "id";
    secret = false;
    domain = "infra";
    kind = "setting";
  };
}
