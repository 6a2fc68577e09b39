import Head from "next/head";

export default function Home() {
  return (
    <>
      <Head>
        <title>My app</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-8">
        <h1 className="text-4xl font-bold tracking-tight">Your app starts here</h1>
        <p className="text-muted-foreground">
          Describe what you want to build in the chat and it will appear on this page.
        </p>
      </main>
    </>
  );
}
