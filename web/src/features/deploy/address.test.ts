import { describe, expect, it } from "vitest";
import { addressUrl, slugProblem, suggestSlug } from "./address";

describe("slugProblem", () => {
  it("accepts what the server accepts", () => {
    for (const ok of ["hat-shop", "abc", "a1-b2", "x".repeat(63)])
      expect(slugProblem(ok)).toBeNull();
  });

  it("says why an address cannot be used", () => {
    expect(slugProblem("ab")).toMatch(/3 to 63/);
    expect(slugProblem("x".repeat(64))).toMatch(/3 to 63/);
    expect(slugProblem("Hat-shop")).toMatch(/lowercase/);
    expect(slugProblem("-hat")).toMatch(/starts and ends/);
    expect(slugProblem("hat_shop")).toMatch(/lowercase/);
    expect(slugProblem("xn--abc")).toMatch(/two hyphens/);
    expect(slugProblem("admin")).toMatch(/reserved/);
  });
});

describe("suggestSlug", () => {
  it("makes a valid address from the project's name", () => {
    const id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    expect(suggestSlug("My Hat Shop!", id)).toBe("my-hat-shop-0a1b2c");
    expect(suggestSlug("日本", id)).toBe("app-0a1b2c");
    expect(slugProblem(suggestSlug("  --Über Café--  ", id))).toBeNull();
  });
});

describe("addressUrl", () => {
  it("follows the published URL's domain and port once known", () => {
    const url = addressUrl("new-name", "https://old.apps.example.com:8443/", {
      protocol: "http:",
      port: "8000",
    });
    expect(url).toBe("https://new-name.apps.example.com:8443/");
  });

  it("uses the page's port and the default domain before a first publish", () => {
    expect(addressUrl("shop", null, { protocol: "http:", port: "8000" })).toBe(
      "http://shop.apps.localhost:8000/",
    );
    expect(addressUrl("shop", null, { protocol: "https:", port: "" })).toBe(
      "https://shop.apps.localhost/",
    );
  });
});
