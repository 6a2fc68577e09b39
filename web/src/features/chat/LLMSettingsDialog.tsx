import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { catalogue, useLLMSettings, useUpdateLLMSettings, type LLMSettingsUpdate } from "./api";

type Provider = "server" | "anthropic" | "openai";
type Protocol = LLMSettingsUpdate["tool_protocol"];

/** Provider, model, endpoint and API key for the chat (`/api/settings/llm`). */
export function LLMSettingsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const settings = useLLMSettings();
  const update = useUpdateLLMSettings();
  const [provider, setProvider] = useState<Provider>("server");
  const [model, setModel] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [protocol, setProtocol] = useState<NonNullable<Protocol>>("auto");

  const data = settings.data;
  useEffect(() => {
    if (!open || !data) return;
    setProvider(data.provider ?? "server");
    setModel(data.model ?? "");
    setBaseUrl(data.base_url ?? "");
    setApiKey("");
    setProtocol(data.tool_protocol);
  }, [open, data]);

  const models = catalogue(data).filter((m) => provider === "server" || m.provider === provider);

  const save = (event: FormEvent, removeKey = false) => {
    event.preventDefault();
    const body: LLMSettingsUpdate =
      provider === "server"
        ? {
            provider: null,
            model: null,
            base_url: null,
            api_key: removeKey ? "" : null,
            tool_protocol: protocol,
          }
        : {
            provider,
            model: model.trim() || null,
            base_url: provider === "openai" ? baseUrl.trim() || null : null,
            api_key: removeKey ? "" : apiKey.trim() || null,
            tool_protocol: protocol,
          };
    update.mutate(body, {
      onSuccess: () => {
        toast.success(removeKey ? "API key removed." : "AI model settings saved.");
        if (!removeKey) onOpenChange(false);
      },
    });
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>AI models</DialogTitle>
          <DialogDescription>
            {data?.server_configured
              ? `The server provides ${data.server_model ?? "a model"} (${data.server_provider ?? ""}). Use your own key or endpoint instead if you like.`
              : "No model is configured on the server: connect Anthropic with an API key, or any OpenAI-compatible endpoint (OpenAI, OpenRouter, Ollama, LM Studio…)."}
          </DialogDescription>
        </DialogHeader>
        {settings.isPending ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : settings.isError ? (
          <p className="text-sm text-destructive">{errorMessage(settings.error)}</p>
        ) : (
          <form id="llm-settings" className="grid gap-3" onSubmit={(e) => save(e)}>
            <div className="grid gap-1.5">
              <Label htmlFor="llm-provider">Provider</Label>
              <Select
                value={provider}
                onValueChange={(v) =>
                  setProvider(v === "anthropic" || v === "openai" ? v : "server")
                }
              >
                <SelectTrigger id="llm-provider" aria-label="Provider">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="server">Server default</SelectItem>
                  <SelectItem value="anthropic">Anthropic</SelectItem>
                  <SelectItem value="openai">OpenAI-compatible</SelectItem>
                </SelectContent>
              </Select>
            </div>
            {provider !== "server" && (
              <>
                <div className="grid gap-1.5">
                  <Label htmlFor="llm-model">Model</Label>
                  <Input
                    id="llm-model"
                    list="llm-models"
                    value={model}
                    onChange={(e) => setModel(e.target.value)}
                    placeholder={models[0]?.id ?? "model id"}
                  />
                  <datalist id="llm-models">
                    {models.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.label}
                      </option>
                    ))}
                  </datalist>
                </div>
                {provider === "openai" && (
                  <div className="grid gap-1.5">
                    <Label htmlFor="llm-base-url">Base URL</Label>
                    <Input
                      id="llm-base-url"
                      value={baseUrl}
                      onChange={(e) => setBaseUrl(e.target.value)}
                      placeholder="https://api.openai.com/v1 or http://localhost:11434/v1"
                    />
                  </div>
                )}
                <div className="grid gap-1.5">
                  <Label htmlFor="llm-key">API key</Label>
                  <Input
                    id="llm-key"
                    type="password"
                    autoComplete="off"
                    value={apiKey}
                    onChange={(e) => setApiKey(e.target.value)}
                    placeholder={
                      data?.api_key
                        ? `Stored: ${data.api_key} (leave empty to keep)`
                        : "Paste your key"
                    }
                  />
                </div>
              </>
            )}
            <div className="grid gap-1.5">
              <Label htmlFor="llm-protocol">Tool calls</Label>
              <Select
                value={protocol}
                onValueChange={(v) => setProtocol(v === "native" || v === "xml" ? v : "auto")}
              >
                <SelectTrigger id="llm-protocol" aria-label="Tool calls">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="auto">Automatic</SelectItem>
                  <SelectItem value="native">Native function calling</SelectItem>
                  <SelectItem value="xml">XML in the text (models without tools)</SelectItem>
                </SelectContent>
              </Select>
            </div>
            {update.isError && (
              <p className="text-sm text-destructive">{errorMessage(update.error)}</p>
            )}
          </form>
        )}
        <DialogFooter>
          {data?.api_key && (
            <Button
              type="button"
              variant="outline"
              className="mr-auto"
              disabled={update.isPending}
              onClick={(e) => save(e, true)}
            >
              Remove stored key
            </Button>
          )}
          <Button type="submit" form="llm-settings" disabled={update.isPending || !data}>
            {update.isPending ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
